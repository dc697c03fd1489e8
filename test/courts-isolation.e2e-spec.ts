/**
 * Courts (SPEC §11): a second court in the same installation leaves no trace in the first. Every route of
 * the API is read from Nest's own route table (so a route added later is walked too): with an id of the
 * other court in its path it must answer exactly as for an id that does not exist, and every list, search
 * and report, with the other court's ids in its filters, must show none of the other court's rows.
 */
import { agreement, auth, Court } from './support/pairing-flow';
import { engines, settleJobs, startTestApp, TestApp } from './support/test-app';

/** Every name of the other court carries this, so a leak shows up in any JSON or text answer. */
const MARK = 'OTMARK';
const NO_SUCH_ID = 987654;
const PDF_BYTES = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n');

interface Route {
  method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  path: string;
}

/** The routes as Express holds them after Nest registered its controllers. */
function routesOf(t: TestApp): Route[] {
  const express = t.app.getHttpAdapter().getInstance() as {
    router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] };
  };
  const routes: Route[] = [];
  for (const layer of express.router.stack) {
    if (!layer.route || !layer.route.path.startsWith('/api/')) continue;
    for (const method of Object.keys(layer.route.methods)) {
      if (['get', 'post', 'patch', 'put', 'delete'].includes(method))
        routes.push({ method: method as Route['method'], path: layer.route.path });
    }
  }
  return routes;
}

describe.each(engines())('Courts kept apart on %s', (engine) => {
  let t: TestApp;
  const year = new Date().getUTCFullYear() - 1;
  const other = {} as {
    courtId: number;
    branchId: number;
    partnerId: number;
    secretaryId: number;
    pairingId: number;
    pairingCode: string;
    attachmentId: number;
    notificationId: number;
  };
  const tokens: Record<string, string> = {};

  const as = (username: string) => ({ Authorization: `Bearer ${tokens[username]}` });

  beforeAll(async () => {
    t = await startTestApp(engine);
    const platform = await t.token('admin');
    const court = await t
      .http()
      .post('/api/courts')
      .set(auth(platform))
      .send({ code: 'OT', name: `${MARK}人民法院` })
      .expect(201);
    other.courtId = court.body.id;
    await t
      .http()
      .post(`/api/courts/${other.courtId}/admins`)
      .set(auth(platform))
      .send({ username: 'ot-admin', displayName: `${MARK}管理员`, password: 'Other@2026' })
      .expect(201);
    const otAdmin = await t.token('ot-admin', 'Other@2026');
    // Names the first court uses too: unique only within a court.
    const branch = await t.http().post('/api/branches').set(auth(otAdmin)).send({ name: '立案庭党支部' }).expect(201);
    other.branchId = branch.body.id;
    const partner = await t
      .http()
      .post('/api/partners')
      .set(auth(otAdmin))
      .send({ name: `${MARK}共建单位`, kind: 'government' })
      .expect(201);
    other.partnerId = partner.body.id;
    const users: [string, string[], number | null][] = [
      ['ot-secretary', ['secretary'], other.branchId],
      ['ot-committee', ['committee'], null],
      ['ot-auditor', ['auditor'], null],
    ];
    for (const [username, roles, branchId] of users) {
      const res = await t
        .http()
        .post('/api/users')
        .set(auth(otAdmin))
        .send({ username, displayName: `${MARK}${username}`, password: 'Other@2026', roles, branchId })
        .expect(201);
      if (username === 'ot-secretary') other.secretaryId = res.body.id;
      tokens[username] = await t.token(username, 'Other@2026');
    }
    const pairing = await t
      .http()
      .post('/api/pairings')
      .set(as('ot-secretary'))
      .send({
        year,
        title: `${MARK}结对项目`,
        theme: `${MARK}主题`,
        problem: `${MARK}问题`,
        partnerIds: [other.partnerId],
        categories: ['organization'],
        liaisonUserId: other.secretaryId,
      })
      .expect(201);
    other.pairingId = pairing.body.id;
    other.pairingCode = pairing.body.code;
    await t.http().post(`/api/pairings/${other.pairingId}/events`).set(as('ot-secretary')).send({ type: 'SUBMIT' }).expect(200);
    const upload = await t.http().post('/api/attachments').set(as('ot-secretary')).attach('file', PDF_BYTES, 'otmark.pdf').expect(201);
    other.attachmentId = upload.body.id;
    await settleJobs(t);
    const notices = await t.http().get('/api/notifications').set(as('ot-committee')).expect(200);
    other.notificationId = (notices.body.items ?? notices.body)[0].id;
    for (const username of ['admin', 'committee', 'auditor', 'leader', 'secretary', 'member']) tokens[username] = await t.token(username);
    // The bootstrap admin also runs the platform (courts, the platform's chain): a court admin who does not.
    await t
      .http()
      .post('/api/users')
      .set(as('admin'))
      .send({ username: 'gj-admin', displayName: '本院管理员', password: 'Admin@2026', roles: ['admin'] })
      .expect(201);
    tokens['gj-admin'] = await t.token('gj-admin', 'Admin@2026');
  });

  /** The platform admin's own routes show every court by design (§11). */
  const platformOwn = (username: string, path: string) =>
    username === 'admin' && (path.startsWith('/api/courts') || path.startsWith('/api/audit/'));
  afterAll(() => t.close());

  it('counts pairing codes per court: the other court starts its own sequence with its own code', () => {
    expect(other.pairingCode).toBe(`OT-${year}-001`);
  });

  it('answers a path naming another court’s row exactly as one naming no row, on every route and for every role', async () => {
    const routes = routesOf(t).filter((r) => r.path.includes('/:'));
    expect(routes.length).toBeGreaterThan(15);
    const idFor = (path: string): number => {
      if (path.startsWith('/api/pairings/')) return other.pairingId;
      if (path.startsWith('/api/branches/')) return other.branchId;
      if (path.startsWith('/api/partners/')) return other.partnerId;
      if (path.startsWith('/api/users/')) return other.secretaryId;
      if (path.startsWith('/api/attachments/')) return other.attachmentId;
      if (path.startsWith('/api/notifications/')) return other.notificationId;
      if (path.startsWith('/api/practices/')) return other.pairingId;
      if (path.startsWith('/api/jobs/outbox/')) return 1;
      if (path.startsWith('/api/courts/')) return other.courtId;
      throw new Error(`the isolation walk does not know which id ${path} takes: teach it`);
    };
    const bodies: Record<string, Record<string, unknown>> = {
      '/api/pairings/:id/events': { type: 'APPROVE' },
      '/api/pairings/:id': { title: '改名' },
    };
    const exercised = new Set<string>();
    for (const route of routes) {
      for (const username of ['admin', 'gj-admin', 'committee', 'auditor', 'leader', 'secretary', 'member']) {
        const send = (id: number) => {
          const agent = t.http();
          return agent[route.method](route.path.replace(/:\w+/, String(id)))
            .set(as(username))
            .send(bodies[route.path] ?? {});
        };
        const [theirs, none] = [await send(idFor(route.path)), await send(NO_SUCH_ID)];
        const seen = { route: `${route.method} ${route.path}`, username, status: theirs.status, code: theirs.body?.code };
        if (platformOwn(username, route.path)) continue;
        expect(seen).toEqual({ ...seen, status: none.status, code: none.body?.code });
        expect(JSON.stringify(theirs.body ?? '')).not.toContain(MARK);
        if (![401, 403].includes(theirs.status)) exercised.add(route.path);
      }
    }
    // Each route was reached past its role check by someone, and found nothing of the other court there.
    const courtRoutes = routes.filter((r) => !r.path.startsWith('/api/courts/') && !r.path.startsWith('/api/jobs/'));
    expect(courtRoutes.map((r) => r.path).filter((p) => !exercised.has(p))).toEqual([]);
  });

  it('shows none of another court’s rows in any list, search or report, even when its filters name them', async () => {
    const lists = routesOf(t).filter((r) => r.method === 'get' && !r.path.includes('/:'));
    expect(lists.length).toBeGreaterThan(15);
    const filters = [
      '',
      `?year=${year}`,
      `?year=${year}&quarter=1`,
      `?branchId=${other.branchId}&year=${year}`,
      `?pairingId=${other.pairingId}`,
      `?code=${other.pairingCode}`,
      `?q=${MARK}`,
      `?q=OT-${year}`,
      `?actor=${MARK}`,
      '?chain=system:OT',
      `?chain=pairing:${other.pairingId}`,
    ];
    const read = async (path: string, username: string, filter: string) => {
      const res = await t
        .http()
        .get(`${path}${filter}`)
        .set(as(username))
        .buffer(true)
        .parse((response, done) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => done(null, Buffer.concat(chunks)));
        });
      const body = (res.body as Buffer).toString('utf8');
      // An answer may echo the request's own words back ("no pairing has the code …"): those are not a leak.
      const echoed = [...new URLSearchParams(filter).values()];
      const text = echoed.reduce((rest, value) => rest.split(value).join(''), body);
      const chains =
        path === '/api/audit/events' && res.status === 200 ? (JSON.parse(body).items as { chain: string }[]).map((e) => e.chain) : [];
      return {
        route: path,
        username,
        filter,
        leaked: text.includes(MARK) || text.includes(`OT-${year}`),
        otherChains: chains.filter((chain) => chain === 'system:OT' || chain === `pairing:${other.pairingId}`),
      };
    };
    for (const route of lists) {
      const users = ['admin', 'gj-admin', 'committee', 'auditor', 'leader', 'secretary', 'member'].filter(
        (u) => !platformOwn(u, route.path),
      );
      // One route at a time, its readers and filters side by side.
      const answers = await Promise.all(users.flatMap((username) => filters.map((filter) => read(route.path, username, filter))));
      expect(answers.filter((a) => a.leaked || a.otherChains.length)).toEqual([]);
    }
  }, 180_000);

  it('treats another court’s ids in a body exactly as unknown ids', async () => {
    const secretary = as('secretary');
    const create = (extra: Record<string, unknown>) =>
      t
        .http()
        .post('/api/pairings')
        .set(secretary)
        .send({ year, title: '跨院引用', ...extra });
    for (const [field, theirs] of [
      ['partnerIds', [other.partnerId]],
      ['coBranchIds', [other.branchId]],
      ['liaisonUserId', other.secretaryId],
    ] as const) {
      const [a, b] = [await create({ [field]: theirs }), await create({ [field]: Array.isArray(theirs) ? [NO_SUCH_ID] : NO_SUCH_ID })];
      expect({ field, status: a.status, code: a.body.code }).toEqual({ field, status: b.status, code: b.body.code });
      expect(a.status).toBe(400);
    }
    const committee = as('committee');
    const directed = await t.http().post('/api/pairings').set(committee).send({ year, title: '指导性', leadBranchId: other.branchId });
    expect(directed.status).toBe(400);
    expect(directed.body.details).toEqual([{ field: 'leadBranchId', messages: [`branch ${other.branchId} does not exist`] }]);
    const user = await t
      .http()
      .post('/api/users')
      .set(as('admin'))
      .send({ username: 'cross-court', displayName: '跨院', password: 'Cross@2026', roles: ['secretary'], branchId: other.branchId });
    expect(user.status).toBe(400);
    expect(user.body.details).toEqual([{ field: 'branchId', messages: [`branch ${other.branchId} does not exist`] }]);
  });

  it('treats another court’s attachments, partners and pairings named in an event, an edit or a publication exactly as unknown ids', async () => {
    const court = await Court.open(t);
    type Answer = { status: number; body: { code?: string } };
    /** The answer to a request naming the other court's row, which must be the one naming no row. */
    const same = async (what: string, theirId: number, send: (id: number) => Promise<Answer>) => {
      const [theirs, none] = [await send(theirId), await send(NO_SUCH_ID)];
      expect({ what, status: theirs.status, code: theirs.body.code }).toEqual({ what, status: none.status, code: none.body.code });
      expect(JSON.stringify(theirs.body)).not.toContain(MARK);
      return theirs;
    };
    const approved = await court.driveTo('approved');
    const signed = await same('agreement scan', other.attachmentId, (id) =>
      court.send('secretary', approved.id, { type: 'SIGN_AGREEMENT', ...agreement(court.year), attachmentIds: [id] }),
    );
    expect({ status: signed.status, code: signed.body.code }).toEqual({ status: 422, code: 'ATTACHMENT_NOT_FOUND' });
    expect((await court.view('secretary', approved.id)).state).toBe('approved');

    const draft = await court.create('secretary');
    const edited = await same('partners of an edit', other.partnerId, (id) => court.patch('secretary', draft.id, { partnerIds: [id] }));
    expect(edited.status).toBe(400);
    const partnerUser = await same('partner of a partner user', other.partnerId, (id) =>
      t
        .http()
        .post('/api/users')
        .set(as('admin'))
        .send({ username: `p-${id}`, displayName: '共建单位', password: 'Partner@2026', roles: ['partner'], partnerId: id }),
    );
    expect(partnerUser.status).toBe(400);
    const practice = await same('pairing of a practice', other.pairingId, (id) =>
      t.http().post('/api/practices').set(as('committee')).send({ pairingId: id, title: '跨院发布', summary: '另一法院的项目' }),
    );
    expect(practice.status).toBe(400);
  });

  it('keeps each court’s system events in its own chain, and the other court’s trail verifiable by its auditor alone', async () => {
    const own = await t.http().get('/api/audit/verify').set(as('auditor')).expect(200);
    const theirs = await t.http().get('/api/audit/verify').set(as('ot-auditor')).expect(200);
    expect(own.body.ok).toBe(true);
    expect(theirs.body).toMatchObject({ ok: true, failures: [] });
    // Theirs: system:OT and the one pairing's chain.
    expect(theirs.body.chains).toBe(2);
    const events = await t.http().get('/api/audit/events?pageSize=200').set(as('ot-auditor')).expect(200);
    expect(new Set(events.body.items.map((e: { chain: string }) => e.chain))).toEqual(new Set(['system:OT', `pairing:${other.pairingId}`]));
    const names = await t.http().get('/api/branches').set(as('ot-committee')).expect(200);
    expect(names.body.map((b: { id: number }) => b.id)).toEqual([other.branchId]);
  });
});
