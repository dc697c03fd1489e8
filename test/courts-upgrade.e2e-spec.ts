/**
 * The upgrade of an installation that predates courts (SPEC §11): one migration puts everything into the
 * court `GJ`, so every existing code stays valid and the court goes on counting from where it was; its admins
 * become platform admins; the platform's chain records it (COURTS_INTRODUCED), linked to what came before.
 */
import { DataSource } from 'typeorm';
import { createPairingSnapshot, PAIRING_WORKFLOW_VERSION, persistSnapshot } from '../workflows';
import { auditHash, canonicalJson, GENESIS_HASH } from '../src/audit/canonical-json';
import { dataSourceOptions } from '../src/database/data-source';
import { hashPassword } from '../src/identity/password';
import { MIGRATIONS } from '../migrations';
import { IntroduceCourts1764700000000 } from '../migrations/1764700000000-IntroduceCourts';
import { auth } from './support/pairing-flow';
import { engines, freshDatabase, FreshDatabase, startTestApp, TestApp } from './support/test-app';

const PASSWORD = 'Before@2026';

/** The database as an installation from before courts left it: migrations up to the one that introduces courts. */
async function installationBeforeCourts(url: string, year: number): Promise<void> {
  const engine = url.startsWith('mysql') ? 'mysql' : 'sqlite';
  const config = { database: engine === 'mysql' ? { engine, url } : { engine, url, sqlitePath: url.slice('sqlite:'.length) } } as never;
  const before = MIGRATIONS.slice(0, MIGRATIONS.indexOf(IntroduceCourts1764700000000));
  const dataSource = new DataSource({ ...dataSourceOptions(config), migrations: before });
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  const now = new Date().toISOString();
  const hash = await hashPassword(PASSWORD);
  await dataSource.query('INSERT INTO `branch` (`name`, `secretary_user_id`, `created_at`, `updated_at`) VALUES (?, NULL, ?, ?)', [
    '立案庭党支部',
    now,
    now,
  ]);
  const users: [string, string[], number | null][] = [
    ['old-admin', ['admin'], null],
    ['old-secretary', ['secretary'], 1],
    ['old-auditor', ['auditor'], null],
  ];
  for (const [username, roles, branchId] of users) {
    await dataSource.query(
      'INSERT INTO `user` (`username`, `display_name`, `password_hash`, `roles`, `branch_id`, `active`, `created_at`, `updated_at`) VALUES (?, ?, ?, ?, ?, 1, ?, ?)',
      [username, username, hash, JSON.stringify(roles), branchId, now, now],
    );
  }
  await dataSource.query('INSERT INTO `partner` (`name`, `kind`, `contact`, `created_at`, `updated_at`) VALUES (?, ?, NULL, ?, ?)', [
    '平湖市教育局机关党支部',
    'government',
    now,
    now,
  ]);
  const snapshot = JSON.stringify(persistSnapshot(createPairingSnapshot({ year, mode: 'voluntary' })));
  await dataSource.query(
    'INSERT INTO `pairing` (`code`, `year`, `title`, `theme`, `problem`, `goals`, `mode`, `lead_branch_id`, `co_branch_ids`, `partner_ids`, `categories`, ' +
      '`liaison_user_id`, `partner_liaisons`, `state`, `quarter`, `quarter_scores`, `snapshot`, `workflow_version`, `version`, `chain_hash`, `created_by`, `created_at`, `updated_at`) ' +
      "VALUES (?, ?, '升级前的结对', '', '', NULL, 'voluntary', 1, '[]', '[]', '[]', NULL, '[]', 'draft', NULL, '[]', ?, ?, 0, '', 2, ?, ?)",
    [`GJ-${year}-001`, year, snapshot, PAIRING_WORKFLOW_VERSION, now, now],
  );
  await dataSource.query("INSERT INTO `pairing_branch` (`pairing_id`, `branch_id`, `role`) VALUES (1, 1, 'lead')");
  await dataSource.query('INSERT INTO `pairing_code_counter` (`year`, `last`) VALUES (?, 1)', [year]);
  // One event on the system chain of old, so the migration's event must link to it.
  const fields = {
    chain: 'system',
    seq: 1,
    at: now,
    actorId: null,
    type: 'USER_CREATED',
    fromState: null,
    toState: null,
    payload: { user: { username: 'old-admin' }, bootstrap: true },
    comment: null,
    prevHash: GENESIS_HASH,
  };
  const eventHash = auditHash(fields);
  await dataSource.query(
    'INSERT INTO `audit_event` (`chain`, `seq`, `at`, `actor_id`, `type`, `from_state`, `to_state`, `payload`, `comment`, `prev_hash`, `hash`) VALUES (?, 1, ?, NULL, ?, NULL, NULL, ?, NULL, ?, ?)',
    ['system', now, fields.type, canonicalJson(fields.payload), GENESIS_HASH, eventHash],
  );
  const heads = await dataSource.query('SELECT `chain` FROM `audit_chain_head` WHERE `chain` = ?', ['system']);
  if (heads.length) await dataSource.query('UPDATE `audit_chain_head` SET `seq` = 1, `hash` = ? WHERE `chain` = ?', [eventHash, 'system']);
  else await dataSource.query('INSERT INTO `audit_chain_head` (`chain`, `seq`, `hash`) VALUES (?, 1, ?)', ['system', eventHash]);
  await dataSource.destroy();
}

describe.each(engines())('Upgrading an installation from before courts on %s', (engine) => {
  let t: TestApp;
  let database: FreshDatabase;
  const year = new Date().getUTCFullYear() - 1;
  const token = (username: string) => t.token(username, PASSWORD);

  beforeAll(async () => {
    database = await freshDatabase(engine);
    await installationBeforeCourts(database.url, year);
    t = await startTestApp(engine, {}, { databaseUrl: () => database.url });
  });
  afterAll(async () => {
    await t.close();
    await database.drop();
  });

  it('puts everything into the court GJ, and its admins become platform admins', async () => {
    const admin = await token('old-admin');
    const courts = await t.http().get('/api/courts').set(auth(admin)).expect(200);
    expect(courts.body).toEqual([{ id: expect.any(Number), code: 'GJ', name: '本院', parentCourtId: null }]);
    const me = await t.http().get('/api/auth/me').set(auth(admin)).expect(200);
    expect(me.body).toMatchObject({ roles: ['admin', 'platform_admin'], courtId: courts.body[0].id });
    const users = await t.http().get('/api/users').set(auth(admin)).expect(200);
    expect(users.body.map((u: { username: string }) => u.username)).toEqual(['old-admin', 'old-secretary', 'old-auditor']);
    expect((await t.http().get('/api/branches').set(auth(admin)).expect(200)).body).toHaveLength(1);
    expect((await t.http().get('/api/partners').set(auth(admin)).expect(200)).body).toHaveLength(1);
  });

  it('keeps every code valid and counts on from the last one', async () => {
    const secretary = await token('old-secretary');
    const list = await t.http().get('/api/pairings').set(auth(secretary)).expect(200);
    expect(list.body.items.map((p: { code: string }) => p.code)).toEqual([`GJ-${year}-001`]);
    const created = await t.http().post('/api/pairings').set(auth(secretary)).send({ year, title: '升级后的结对' }).expect(201);
    expect(created.body.code).toBe(`GJ-${year}-002`);
  });

  it('records the upgrade in the platform’s chain, linked to the events before it, which the court’s auditors still read', async () => {
    const auditor = await token('old-auditor');
    const events = await t.http().get('/api/audit/events?chain=system&pageSize=50').set(auth(auditor)).expect(200);
    expect(events.body.items.map((e: { type: string }) => e.type)).toEqual(['USER_CREATED', 'COURTS_INTRODUCED']);
    const introduced = events.body.items[1];
    expect(introduced).toMatchObject({ seq: 2, actorId: null, prevHash: events.body.items[0].hash });
    expect(introduced.payload).toMatchObject({
      court: { code: 'GJ', name: '本院' },
      rows: { user: 3, branch: 1, partner: 1, pairing: 1 },
      platformAdmins: [1],
    });
    const { hash, ...fields } = introduced;
    expect(auditHash(fields)).toBe(hash);
    const verify = await t.http().get('/api/audit/verify').set(auth(auditor)).expect(200);
    expect(verify.body).toMatchObject({ ok: true, failures: [] });
  });
});
