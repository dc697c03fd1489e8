import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { createAuditTriggers, dropAuditTriggers } from './support/audit-triggers';
import { id, instant, json, str } from './support/columns';

export class CreateOrganisationAndAudit1764140000000 implements MigrationInterface {
  name = 'CreateOrganisationAndAudit1764140000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'branch',
        columns: [
          id(),
          str('name', 100),
          { name: 'secretary_user_id', type: 'int', isNullable: true },
          instant('created_at'),
          instant('updated_at'),
        ],
        indices: [new TableIndex({ name: 'uq_branch_name', columnNames: ['name'], isUnique: true })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'partner',
        columns: [id(), str('name', 100), str('kind', 32), str('contact', 200, true), instant('created_at'), instant('updated_at')],
        indices: [new TableIndex({ name: 'uq_partner_name', columnNames: ['name'], isUnique: true })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'user',
        columns: [
          id(),
          str('username', 64),
          str('display_name', 100),
          str('password_hash', 100),
          json('roles'),
          { name: 'branch_id', type: 'int', isNullable: true },
          { name: 'active', type: 'boolean', default: true },
          instant('created_at'),
          instant('updated_at'),
        ],
        indices: [
          new TableIndex({ name: 'uq_user_username', columnNames: ['username'], isUnique: true }),
          new TableIndex({ name: 'ix_user_branch', columnNames: ['branch_id'] }),
        ],
        foreignKeys: [{ name: 'fk_user_branch', columnNames: ['branch_id'], referencedTableName: 'branch', referencedColumnNames: ['id'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'audit_event',
        columns: [
          id(),
          str('chain', 64),
          { name: 'seq', type: 'int' },
          str('at', 24),
          str('actor_id', 64, true),
          str('type', 40),
          str('from_state', 40, true),
          str('to_state', 40, true),
          { name: 'payload', type: 'text', isNullable: true },
          { name: 'comment', type: 'text', isNullable: true },
          str('prev_hash', 64),
          str('hash', 64),
        ],
        indices: [
          new TableIndex({ name: 'uq_audit_chain_seq', columnNames: ['chain', 'seq'], isUnique: true }),
          new TableIndex({ name: 'ix_audit_type', columnNames: ['type'] }),
          new TableIndex({ name: 'ix_audit_actor', columnNames: ['actor_id'] }),
          new TableIndex({ name: 'ix_audit_at', columnNames: ['at'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'audit_chain_head',
        columns: [{ ...str('chain', 64), isPrimary: true }, { name: 'seq', type: 'int' }, str('hash', 64)],
      }),
    );
    await queryRunner.query(`INSERT INTO audit_chain_head (chain, seq, hash) VALUES ('system', 0, '${'0'.repeat(64)}')`);
    await queryRunner.createTable(
      new Table({
        name: 'login_failure',
        columns: [id(), str('key', 200), str('at', 24)],
        indices: [new TableIndex({ name: 'ix_login_failure_key_at', columnNames: ['key', 'at'] })],
      }),
    );
    await createAuditTriggers(queryRunner);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await dropAuditTriggers(queryRunner);
    for (const table of ['login_failure', 'audit_chain_head', 'audit_event', 'user', 'partner', 'branch']) {
      await queryRunner.dropTable(table);
    }
  }
}
