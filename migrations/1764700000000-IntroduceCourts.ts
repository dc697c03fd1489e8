import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';
import { auditHash, canonicalJson, GENESIS_HASH } from '../src/audit/canonical-json';
import { id, instant, int, str } from './support/columns';

/** Every table whose rows belong to one court. */
const COURT_TABLES = ['branch', 'partner', 'user', 'pairing', 'attachment', 'notification', 'idempotency_key', 'outbox'] as const;

/** What an installation that predates courts is put into: every existing code (GJ-2026-001) stays valid. */
const LEGACY_COURT = { code: 'GJ', name: '本院' };

/**
 * Courts (多院部署): the court table, a court on every row that belongs to one, names of branches and
 * partners unique within their court, pairing codes counted per court and year. `court_id` defaults to 0,
 * a court that never exists, so a row written without its court is seen by nobody rather than by the
 * wrong court. An installation with data gets the court `GJ` holding all of it, its admins become
 * platform admins, and the platform's chain (`system`) records it as COURTS_INTRODUCED.
 *
 * Audit rows are left as they are (they are never updated): a chain's court is known from its name, a
 * pairing's chain by its pairing, `system:<code>` by its court. The platform's chain `system` is read with
 * the first court's trail, since it holds that court's events from before courts.
 */
export class IntroduceCourts1764700000000 implements MigrationInterface {
  name = 'IntroduceCourts1764700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'court',
        columns: [id(), str('code', 8), str('name', 100), int('parent_court_id', true), instant('created_at'), instant('updated_at')],
        indices: [
          new TableIndex({ name: 'uq_court_code', columnNames: ['code'], isUnique: true }),
          new TableIndex({ name: 'uq_court_name', columnNames: ['name'], isUnique: true }),
          new TableIndex({ name: 'ix_court_parent', columnNames: ['parent_court_id'] }),
        ],
      }),
    );
    for (const table of COURT_TABLES) {
      await queryRunner.addColumn(table, new TableColumn({ name: 'court_id', type: 'int', default: 0 }));
    }
    await queryRunner.dropIndex('branch', 'uq_branch_name');
    await queryRunner.dropIndex('partner', 'uq_partner_name');
    await queryRunner.createIndices('branch', [
      new TableIndex({ name: 'uq_branch_court_name', columnNames: ['court_id', 'name'], isUnique: true }),
    ]);
    await queryRunner.createIndices('partner', [
      new TableIndex({ name: 'uq_partner_court_name', columnNames: ['court_id', 'name'], isUnique: true }),
    ]);
    await queryRunner.createIndices('user', [new TableIndex({ name: 'ix_user_court', columnNames: ['court_id', 'id'] })]);
    await queryRunner.createIndices('pairing', [
      // The list (newest first within a court) and the year's reports of a court.
      new TableIndex({ name: 'ix_pairing_court_id', columnNames: ['court_id', 'id'] }),
      new TableIndex({ name: 'ix_pairing_court_year_state', columnNames: ['court_id', 'year', 'state'] }),
    ]);
    await queryRunner.createIndices('outbox', [new TableIndex({ name: 'ix_outbox_court', columnNames: ['court_id', 'id'] })]);
    await queryRunner.createTable(
      new Table({
        name: 'court_code_counter',
        columns: [{ ...int('court_id'), isPrimary: true }, { ...int('year'), isPrimary: true }, int('last')],
      }),
    );

    const [{ n }] = (await queryRunner.query('SELECT COUNT(*) AS n FROM `user`')) as { n: unknown }[];
    if (Number(n) > 0) await this.adoptExistingData(queryRunner);
    await queryRunner.dropTable('pairing_code_counter');
  }

  private async adoptExistingData(queryRunner: QueryRunner): Promise<void> {
    const at = new Date().toISOString();
    await queryRunner.query(
      'INSERT INTO `court` (`code`, `name`, `parent_court_id`, `created_at`, `updated_at`) VALUES (?, ?, NULL, ?, ?)',
      [LEGACY_COURT.code, LEGACY_COURT.name, at, at],
    );
    const [{ id: courtId }] = (await queryRunner.query('SELECT `id` AS id FROM `court` WHERE `code` = ?', [LEGACY_COURT.code])) as {
      id: unknown;
    }[];
    const rows: Record<string, number> = {};
    for (const table of COURT_TABLES) {
      await queryRunner.query(`UPDATE \`${table}\` SET \`court_id\` = ?`, [Number(courtId)]);
      const [{ n }] = (await queryRunner.query(`SELECT COUNT(*) AS n FROM \`${table}\``)) as { n: unknown }[];
      rows[table] = Number(n);
    }
    await queryRunner.query(
      'INSERT INTO `court_code_counter` (`court_id`, `year`, `last`) SELECT ?, `year`, `last` FROM `pairing_code_counter`',
      [Number(courtId)],
    );
    // The bootstrap admin of a single court is also the platform's admin; its existing admins keep that place.
    const admins = (await queryRunner.query('SELECT `id` AS id, `roles` AS roles FROM `user` ORDER BY `id`')) as {
      id: unknown;
      roles: string;
    }[];
    const promoted: number[] = [];
    for (const admin of admins) {
      const roles = JSON.parse(admin.roles) as string[];
      if (!roles.includes('admin') || roles.includes('platform_admin')) continue;
      await queryRunner.query('UPDATE `user` SET `roles` = ? WHERE `id` = ?', [
        JSON.stringify([...roles, 'platform_admin']),
        Number(admin.id),
      ]);
      promoted.push(Number(admin.id));
    }

    const head = (await queryRunner.query('SELECT `seq` AS seq, `hash` AS hash FROM `audit_chain_head` WHERE `chain` = ?', ['system'])) as {
      seq: unknown;
      hash: string;
    }[];
    const fields = {
      chain: 'system',
      seq: head.length ? Number(head[0].seq) + 1 : 1,
      at,
      actorId: null,
      type: 'COURTS_INTRODUCED',
      fromState: null,
      toState: null,
      payload: JSON.parse(canonicalJson({ court: { id: Number(courtId), ...LEGACY_COURT }, rows, platformAdmins: promoted })) as unknown,
      comment: null,
      prevHash: head.length ? head[0].hash : GENESIS_HASH,
    };
    const hash = auditHash(fields);
    await queryRunner.query(
      'INSERT INTO `audit_event` (`chain`, `seq`, `at`, `actor_id`, `type`, `from_state`, `to_state`, `payload`, `comment`, `prev_hash`, `hash`) ' +
        'VALUES (?, ?, ?, NULL, ?, NULL, NULL, ?, NULL, ?, ?)',
      [fields.chain, fields.seq, at, fields.type, canonicalJson(fields.payload), fields.prevHash, hash],
    );
    if (head.length)
      await queryRunner.query('UPDATE `audit_chain_head` SET `seq` = ?, `hash` = ? WHERE `chain` = ?', [fields.seq, hash, 'system']);
    else await queryRunner.query('INSERT INTO `audit_chain_head` (`chain`, `seq`, `hash`) VALUES (?, ?, ?)', ['system', fields.seq, hash]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(new Table({ name: 'pairing_code_counter', columns: [{ ...int('year'), isPrimary: true }, int('last')] }));
    await queryRunner.query(
      'INSERT INTO `pairing_code_counter` (`year`, `last`) SELECT `year`, MAX(`last`) FROM `court_code_counter` GROUP BY `year`',
    );
    await queryRunner.dropTable('court_code_counter');
    await queryRunner.dropIndex('outbox', 'ix_outbox_court');
    await queryRunner.dropIndex('pairing', 'ix_pairing_court_year_state');
    await queryRunner.dropIndex('pairing', 'ix_pairing_court_id');
    await queryRunner.dropIndex('user', 'ix_user_court');
    await queryRunner.dropIndex('partner', 'uq_partner_court_name');
    await queryRunner.dropIndex('branch', 'uq_branch_court_name');
    await queryRunner.createIndices('branch', [new TableIndex({ name: 'uq_branch_name', columnNames: ['name'], isUnique: true })]);
    await queryRunner.createIndices('partner', [new TableIndex({ name: 'uq_partner_name', columnNames: ['name'], isUnique: true })]);
    for (const table of COURT_TABLES) await queryRunner.dropColumn(table, 'court_id');
    await queryRunner.dropTable('court');
  }
}
