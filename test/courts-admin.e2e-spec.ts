/**
 * Courts and their first admins (SPEC §11): the platform admin creates and renames courts (codes 2–8 capital
 * letters, code and name unique, audited in the platform chain) and gives a court its first admin; that admin
 * manages only their court, where branch names need only be unique within the court. Refusals change nothing.
 */
import { auth } from './support/pairing-flow';
import { engines, startTestApp, TestApp } from './support/test-app';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe.each(engines())('Courts and their admins on %s', (engine) => {
  let t: TestApp;
  let platform: string;

  beforeAll(async () => {
    t = await startTestApp(engine);
    platform = await t.token('admin');
  }, 120_000);
  afterAll(() => t.close());

  const courtCodes = async () => ((await t.http().get('/api/courts').set(auth(platform)).expect(200)).body as Json[]).map((c) => c.code);

  it('creates and renames a court, refuses a bad or taken code or name, and audits what it did', async () => {
    const created = await t.http().post('/api/courts').set(auth(platform)).send({ code: 'JS', name: '嘉善县人民法院' }).expect(201);
    expect(created.body).toMatchObject({ code: 'JS', name: '嘉善县人民法院', parentCourtId: null });
    const before = await courtCodes();

    const refusals: [Json, number, string][] = [
      [{ code: 'js', name: '小写代码法院' }, 400, 'VALIDATION_FAILED'],
      [{ code: 'ABCDEFGHI', name: '九个字母法院' }, 400, 'VALIDATION_FAILED'],
      [{ code: 'JS', name: '另一个嘉善' }, 409, 'COURT_CODE_TAKEN'],
      [{ code: 'JSX', name: '嘉善县人民法院' }, 409, 'COURT_NAME_TAKEN'],
      [{ code: 'NOP', name: '无上级法院', parentCourtId: 987654 }, 400, 'VALIDATION_FAILED'],
    ];
    for (const [body, status, code] of refusals) {
      const res = await t.http().post('/api/courts').set(auth(platform)).send(body);
      expect({ body, status: res.status, code: res.body.code }).toEqual({ body, status, code });
    }
    expect(await courtCodes()).toEqual(before);

    const renamed = await t.http().patch(`/api/courts/${created.body.id}`).set(auth(platform)).send({ name: '嘉善法院' }).expect(200);
    expect(renamed.body).toMatchObject({ id: created.body.id, code: 'JS', name: '嘉善法院' });
    const courts = (await t.http().get('/api/courts').set(auth(platform)).expect(200)).body as Json[];
    const home = courts.find((c) => c.code === 'GJ')!;
    const taken = await t.http().patch(`/api/courts/${created.body.id}`).set(auth(platform)).send({ name: home.name });
    expect({ status: taken.status, code: taken.body.code }).toEqual({ status: 409, code: 'COURT_NAME_TAKEN' });
    expect((await t.http().patch('/api/courts/987654').set(auth(platform)).send({ name: '无此法院' })).status).toBe(404);
    // A court keeps a name: a blank or null one is refused, naming the field, and changes nothing.
    for (const name of ['', '   ', null]) {
      const blank = await t.http().patch(`/api/courts/${created.body.id}`).set(auth(platform)).send({ name });
      expect({ name, status: blank.status, code: blank.body.code, field: blank.body.details?.[0]?.field }).toEqual({
        name,
        status: 400,
        code: 'VALIDATION_FAILED',
        field: 'name',
      });
    }
    expect(((await t.http().get('/api/courts').set(auth(platform)).expect(200)).body as Json[]).find((c) => c.code === 'JS')).toMatchObject(
      {
        name: '嘉善法院',
      },
    );

    // The platform chain records both (read from the table: once a second court exists, the chain is for the
    // platform's own readers, not for one court's auditor).
    const rows = (await t.dataSource.query(
      'SELECT `type`, `payload` FROM `audit_event` WHERE `chain` = ? AND `type` IN (?, ?) ORDER BY `seq`',
      ['system', 'COURT_CREATED', 'COURT_CHANGED'],
    )) as { type: string; payload: string }[];
    const recorded = rows.map((r) => [r.type, JSON.parse(r.payload)]).filter(([, payload]) => !payload.bootstrap); // the default court's own
    expect(recorded).toEqual([
      ['COURT_CREATED', { court: { id: created.body.id, code: 'JS', name: '嘉善县人民法院', parentCourtId: null } }],
      ['COURT_CHANGED', { id: created.body.id, changes: { name: { from: '嘉善县人民法院', to: '嘉善法院' } } }],
    ]);
  });

  it('lists courts to platform admins (and supervisors) only: every other role is answered 403 (SPEC §11)', async () => {
    await t
      .http()
      .post('/api/users')
      .set(auth(platform))
      .send({ username: 'gj-admin', displayName: '本院管理员', password: 'Admin@2026', roles: ['admin'] })
      .expect(201);
    for (const [username, password] of [['gj-admin', 'Admin@2026'], ['secretary'], ['committee'], ['auditor'], ['leader'], ['member']]) {
      const res = await t
        .http()
        .get('/api/courts')
        .set(auth(await t.token(username, password)));
      expect({ username, status: res.status, code: res.body.code }).toEqual({ username, status: 403, code: 'FORBIDDEN' });
    }
  });

  it('gives a court its first admin, who manages only that court; names are unique within a court', async () => {
    const court = (await t.http().post('/api/courts').set(auth(platform)).send({ code: 'TX', name: '桐乡市人民法院' }).expect(201)).body;
    const admin = await t
      .http()
      .post(`/api/courts/${court.id}/admins`)
      .set(auth(platform))
      .send({ username: 'tx-admin', displayName: '桐乡法院管理员', password: 'Tongxiang@2026' })
      .expect(201);
    expect(admin.body).toMatchObject({ username: 'tx-admin', roles: ['admin'] });
    expect(admin.body.passwordHash).toBeUndefined();
    for (const username of ['tx-admin', 'TX-Admin']) {
      const taken = await t
        .http()
        .post(`/api/courts/${court.id}/admins`)
        .set(auth(platform))
        .send({ username, displayName: '重名', password: 'Tongxiang@2026' });
      expect({ username, status: taken.status, code: taken.body.code }).toEqual({ username, status: 409, code: 'USERNAME_TAKEN' });
    }

    const tx = await t.token('tx-admin', 'Tongxiang@2026');
    // A court's admin is no platform admin: it lists no courts (SPEC §11), its own is in GET /api/auth/me.
    const listed = await t.http().get('/api/courts').set(auth(tx));
    expect({ status: listed.status, code: listed.body.code }).toEqual({ status: 403, code: 'FORBIDDEN' });
    expect((await t.http().get('/api/auth/me').set(auth(tx)).expect(200)).body.court).toMatchObject({ code: 'TX' });
    expect((await t.http().post('/api/courts').set(auth(tx)).send({ code: 'ZZ', name: '越权法院' })).status).toBe(403);
    expect((await t.http().patch(`/api/courts/${court.id}`).set(auth(tx)).send({ name: '改名' })).status).toBe(403);

    // The default court has a 立案庭党支部 already; another court may have its own, but not two.
    const home = (await t.http().get('/api/branches').set(auth(platform)).expect(200)).body as Json[];
    expect(home.map((b) => b.name)).toContain('立案庭党支部');
    await t.http().post('/api/branches').set(auth(tx)).send({ name: '立案庭党支部' }).expect(201);
    const twice = await t.http().post('/api/branches').set(auth(tx)).send({ name: '立案庭党支部' });
    expect({ status: twice.status, code: twice.body.code }).toEqual({ status: 409, code: 'BRANCH_NAME_TAKEN' });
    const own = (await t.http().get('/api/branches').set(auth(tx)).expect(200)).body as Json[];
    expect(own.map((b) => b.name)).toEqual(['立案庭党支部']);
    expect(((await t.http().get('/api/branches').set(auth(platform)).expect(200)).body as Json[]).length).toBe(home.length);
  });

  it('lets a platform admin search and verify the platform chain `system` and no court’s chain; a court’s auditor reads it only while it reads every court', async () => {
    const get = async (url: string, as: string) => {
      const res = await t
        .http()
        .get(url)
        .set(auth(await t.token(as)));
      return { status: res.status, body: res.body as Json };
    };
    const pairing = await t
      .http()
      .post('/api/pairings')
      .set(auth(await t.token('secretary')))
      .send({ year: new Date().getUTCFullYear(), title: '平台管理员看不到的项目' })
      .expect(201);
    // While this is the only court, its auditor reads every chain of the installation, the platform's too.
    const alone = (await courtCodes()).length === 1;
    if (alone) expect((await get('/api/audit/events?chain=system', 'auditor')).body.total).toBeGreaterThan(0);
    await t.http().post('/api/courts').set(auth(platform)).send({ code: 'HN', name: '海宁市人民法院' }).expect(201);

    const events = await get('/api/audit/events?pageSize=200', 'admin');
    expect(events.status).toBe(200);
    expect(events.body.total).toBeGreaterThan(0);
    expect(new Set((events.body.items as Json[]).map((e) => e.chain))).toEqual(new Set(['system']));
    const created = await get('/api/audit/events?type=COURT_CREATED&pageSize=200', 'admin');
    expect((created.body.items as Json[]).map((e) => e.payload.court.code)).toContain('HN');
    expect((created.body.items as Json[]).every((e) => e.type === 'COURT_CREATED')).toBe(true);
    // Its court's chains, and its court's pairings, are not the platform's: named, they are empty or unknown.
    expect((await get('/api/audit/events?chain=system:GJ', 'admin')).body.total).toBe(0);
    expect((await get(`/api/audit/events?pairingId=${pairing.body.id}`, 'admin')).body.total).toBe(0);
    const byCode = await get(`/api/audit/events?code=${pairing.body.code}`, 'admin');
    expect({ status: byCode.status, code: byCode.body.code }).toEqual({ status: 404, code: 'NOT_FOUND' });
    expect((await get(`/api/audit/events?code=${pairing.body.code}`, 'auditor')).body.total).toBe(1);

    const verify = await get('/api/audit/verify', 'admin');
    expect(verify).toEqual({ status: 200, body: expect.objectContaining({ ok: true, chains: 1, failures: [] }) });
    expect((await get('/api/audit/verify?chain=system', 'admin')).body).toMatchObject({ ok: true, chains: 1 });
    expect((await get('/api/audit/verify?chain=system:GJ', 'admin')).body).toMatchObject({ ok: true, chains: 0, events: 0 });
    expect((await get(`/api/audit/verify?pairingId=${pairing.body.id}`, 'admin')).body).toMatchObject({ chains: 0, events: 0 });
    // Export and checkpoints stay the auditors'.
    for (const url of ['/api/audit/export', '/api/audit/checkpoint']) expect((await get(url, 'admin')).status).toBe(403);

    // With another court beside it, the court's auditor reads its own court's chains and not the platform's.
    expect((await get('/api/audit/events?chain=system', 'auditor')).body.total).toBe(0);
    expect((await get('/api/audit/verify?chain=system', 'auditor')).body).toMatchObject({ chains: 0 });
    expect((await get('/api/audit/events?chain=system:GJ', 'auditor')).body.total).toBeGreaterThan(0);
    // Nor does a secretary read any trail.
    expect((await get('/api/audit/events', 'secretary')).status).toBe(403);
  });

  it('finds the platform chain’s events by their actor in whichever court the actor is; a court’s reader finds only its own court’s users', async () => {
    const get = async (url: string, as: string, password?: string) => {
      const res = await t
        .http()
        .get(url)
        .set(auth(await t.token(as, password)));
      return { status: res.status, body: res.body as Json };
    };
    // A second platform admin, of another court (the API hands out platform_admin within the giver's own court
    // only, so the role is written to its row here): it creates a court, recorded in the platform chain.
    const court = (await t.http().post('/api/courts').set(auth(platform)).send({ code: 'NH', name: '南湖区人民法院' }).expect(201)).body;
    const created = await t
      .http()
      .post(`/api/courts/${court.id}/admins`)
      .set(auth(platform))
      .send({ username: 'nh-admin', displayName: '南湖平台管理员', password: 'Nanhu@2026' })
      .expect(201);
    await t.dataSource.query('UPDATE `user` SET `roles` = ? WHERE `id` = ?', [
      JSON.stringify(['admin', 'platform_admin']),
      created.body.id,
    ]);
    t.forget('nh-admin');
    const nhAdmin = await t.token('nh-admin', 'Nanhu@2026');
    await t.http().post('/api/courts').set(auth(nhAdmin)).send({ code: 'PHU', name: '平湖市另一人民法院' }).expect(201);

    // By username or by a part of the display name, from the first court's platform admin.
    for (const actor of ['nh-admin', '南湖平台']) {
      const found = await get(`/api/audit/events?actor=${encodeURIComponent(actor)}`, 'admin');
      expect(found.status).toBe(200);
      expect((found.body.items as Json[]).map((e) => [e.chain, e.type, e.actorId, e.payload.court.code])).toEqual([
        ['system', 'COURT_CREATED', String(created.body.id), 'PHU'],
      ]);
      expect(found.body.names.actors[String(created.body.id)]).toEqual({ displayName: '南湖平台管理员', username: 'nh-admin' });
    }
    // And the other way round: the first court's admin, from the other court's platform admin.
    const mine = await get('/api/audit/events?actor=admin&type=COURT_CREATED&pageSize=200', 'nh-admin', 'Nanhu@2026');
    expect((mine.body.items as Json[]).map((e) => e.payload.court.code)).toEqual(expect.arrayContaining(['HN', 'NH']));
    expect((mine.body.items as Json[]).every((e) => e.chain === 'system')).toBe(true);
    // A court's own reader still matches only its court's users: another court's actor is unknown.
    const auditor = await get('/api/audit/events?actor=nh-admin', 'auditor');
    expect({ status: auditor.status, code: auditor.body.code, details: auditor.body.details }).toEqual({
      status: 404,
      code: 'NOT_FOUND',
      details: [{ field: 'actor', messages: ['no user has the username or a name containing “nh-admin”'] }],
    });
    const nobody = await get('/api/audit/events?actor=nobody-at-all', 'admin');
    expect({ status: nobody.status, code: nobody.body.code }).toEqual({ status: 404, code: 'NOT_FOUND' });
  });
});
