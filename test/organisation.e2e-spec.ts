/**
 * Administration of the organisation: a branch's named secretary is one of its own active secretaries and stays
 * so when the user changes; branches and partners are deactivated, never deleted — pairings that have them keep
 * them, new pairings cannot choose them.
 */
import { at } from './support/jobs';
import { auth, Court } from './support/pairing-flow';
import { engines, startTestApp, TestApp } from './support/test-app';

describe.each(engines())('Organisation administration on %s', (engine) => {
  let t: TestApp;
  let court: Court;
  let admin: string;

  beforeAll(async () => {
    t = await startTestApp(engine);
    court = await Court.open(t);
    admin = await t.token('admin');
  });
  afterAll(() => t.close());

  const patchBranch = (id: number, body: Record<string, unknown>) => t.http().patch(`/api/branches/${id}`).set(auth(admin)).send(body);
  const patchPartner = (id: number, body: Record<string, unknown>) => t.http().patch(`/api/partners/${id}`).set(auth(admin)).send(body);
  const patchUser = (id: number, body: Record<string, unknown>) => t.http().patch(`/api/users/${id}`).set(auth(admin)).send(body);
  const branch = async (id: number) =>
    (await t.http().get('/api/branches').set(auth(admin)).expect(200)).body.find((b: { id: number }) => b.id === id);
  const systemEvents = async (type: string) =>
    (
      await t
        .http()
        .get(`/api/audit/events?type=${type}&pageSize=200`)
        .set(auth(await t.token('auditor')))
        .expect(200)
    ).body.items as {
      payload: Record<string, unknown>;
    }[];

  it('keeps a name on every branch and partner: a blank or null one is refused, naming the field, and changes nothing', async () => {
    const branchId = court.branch('行政庭党支部');
    const partners = (await t.http().get('/api/partners').set(auth(admin)).expect(200)).body as { id: number; name: string }[];
    const partner = partners[0];
    for (const name of ['', '   ', null]) {
      for (const res of [await patchBranch(branchId, { name }), await patchPartner(partner.id, { name })]) {
        expect({ name, status: res.status, code: res.body.code, field: res.body.details?.[0]?.field }).toEqual({
          name,
          status: 400,
          code: 'VALIDATION_FAILED',
          field: 'name',
        });
      }
    }
    expect((await branch(branchId)).name).toBe('行政庭党支部');
    const after = (await t.http().get('/api/partners').set(auth(admin)).expect(200)).body as { id: number; name: string }[];
    expect(after.find((p) => p.id === partner.id)?.name).toBe(partner.name);
  });

  it('answers a user change that changes nothing with the user as is: no USER_CHANGED, the user stays signed in', async () => {
    const userId = await court.user('no-change', ['member'], court.branch('行政庭党支部'));
    const token = await t.token('no-change');
    const before = (await systemEvents('USER_CHANGED')).length;
    const res = await patchUser(userId, { displayName: 'no-change', roles: ['member'] }); // as created
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: userId, clearedSecretaryOf: [] });
    expect((await systemEvents('USER_CHANGED')).length).toBe(before);
    await t.http().get('/api/auth/me').set(auth(token)).expect(200);
    // A real change is still recorded.
    await patchUser(userId, { displayName: '改了名的成员' }).expect(200);
    expect((await systemEvents('USER_CHANGED')).length).toBe(before + 1);
  });

  describe('the branch secretary', () => {
    it('must be an active secretary of that branch', async () => {
      const branchId = court.branch('行政庭党支部');
      const own = await court.user('xz-secretary', ['secretary'], branchId);
      const ownMember = await court.user('xz-member', ['member'], branchId);
      const retired = await court.user('xz-retired', ['secretary'], branchId);
      await court.setActive('xz-retired', false);
      for (const userId of [court.id('admin'), court.id('committee'), court.id('auditor'), court.id('secretary'), ownMember, retired]) {
        const res = await patchBranch(branchId, { secretaryUserId: userId });
        expect({ status: res.status, code: res.body.code, details: res.body.details }).toEqual({
          status: 400,
          code: 'VALIDATION_FAILED',
          details: [
            {
              field: 'secretaryUserId',
              messages: [expect.stringContaining('active user with the secretary role who belongs to this branch')],
            },
          ],
        });
      }
      expect((await branch(branchId)).secretaryUserId).toBeNull();
      // A new branch has nobody yet, so it cannot name a secretary either.
      const created = await t.http().post('/api/branches').set(auth(admin)).send({ name: '新支部（测试）', secretaryUserId: own });
      expect(created.status).toBe(400);

      const ok = await patchBranch(branchId, { secretaryUserId: own }).expect(200);
      expect(ok.body).toEqual({ id: branchId, name: '行政庭党支部', secretaryUserId: own, active: true });
    });

    it('is dropped, audited and reported when the user leaves the branch, the role or the court', async () => {
      const branchId = court.branch('民二庭党支部');
      const changes: [string, Record<string, unknown>][] = [
        ['moves to another branch', { branchId: court.branch('法警大队党支部') }],
        ['loses the secretary role', { roles: ['member'] }],
        ['is deactivated', { active: false }],
      ];
      for (const [index, [why, change]] of changes.entries()) {
        const userId = await court.user(`mr-secretary-${index}`, ['secretary'], branchId);
        await patchBranch(branchId, { secretaryUserId: userId }).expect(200);
        const before = (await systemEvents('BRANCH_CHANGED')).length;
        const res = await patchUser(userId, change);
        expect({ why, status: res.status, cleared: res.body.clearedSecretaryOf }).toEqual({
          why,
          status: 200,
          cleared: [{ id: branchId, name: '民二庭党支部' }],
        });
        expect((await branch(branchId)).secretaryUserId).toBeNull();
        const events = await systemEvents('BRANCH_CHANGED');
        expect(events).toHaveLength(before + 1);
        expect(
          events.some((e) => JSON.stringify(e.payload.changes) === JSON.stringify({ secretaryUserId: { from: userId, to: null } })),
        ).toBe(true);
      }
      // A change that keeps them the branch's secretary keeps the name.
      const keeper = await court.user('mr-keeper', ['secretary'], branchId);
      await patchBranch(branchId, { secretaryUserId: keeper }).expect(200);
      const renamed = await patchUser(keeper, { displayName: '民二庭书记', roles: ['secretary', 'member'] }).expect(200);
      expect(renamed.body.clearedSecretaryOf).toEqual([]);
      expect((await branch(branchId)).secretaryUserId).toBe(keeper);
    });
  });

  describe('deactivation', () => {
    it('keeps a partner on the pairings that have it, and refuses it for new ones', async () => {
      const partnerId = (
        await t
          .http()
          .post('/api/partners')
          .set(auth(admin))
          .send({ name: '平湖市某社区党支部（停用测试）', kind: 'community' })
          .expect(201)
      ).body.id;
      const draft = await court.create('secretary', { partnerIds: [partnerId], partnerLiaisons: [] });

      const off = await patchPartner(partnerId, { active: false }).expect(200);
      expect(off.body).toMatchObject({ id: partnerId, active: false });
      const listed = (
        await t
          .http()
          .get('/api/partners')
          .set(auth(await t.token('secretary')))
          .expect(200)
      ).body;
      expect(listed.find((p: { id: number }) => p.id === partnerId)).toMatchObject({
        active: false,
        name: '平湖市某社区党支部（停用测试）',
      });
      const changed = (await systemEvents('PARTNER_CHANGED')).map((e) => e.payload);
      expect(changed).toContainEqual({ id: partnerId, changes: { active: { from: true, to: false } } });

      // The pairing that has it keeps it, and may be edited and submitted as it is.
      expect((await court.view('secretary', draft.id)).partnerIds).toEqual([partnerId]);
      expect((await court.patch('secretary', draft.id, { theme: '社区诉源治理' })).status).toBe(200);
      // A new pairing, or another pairing adding it, may not choose it.
      const refused = await t
        .http()
        .post('/api/pairings')
        .set(auth(await t.token('secretary')))
        .send(court.proposal({ partnerIds: [partnerId], partnerLiaisons: [] }));
      expect({ status: refused.status, details: refused.body.details }).toEqual({
        status: 400,
        details: [{ field: 'partnerIds', messages: [`partner ${partnerId} is deactivated`] }],
      });
      const other = await court.create('secretary');
      const adding = await court.patch('secretary', other.id, { partnerIds: [...other.partnerIds, partnerId] });
      expect(adding.status).toBe(400);
      expect((await court.view('secretary', other.id)).partnerIds).toEqual(other.partnerIds);

      // Active again, it can be chosen again.
      await patchPartner(partnerId, { active: true }).expect(200);
      expect((await court.patch('secretary', other.id, { partnerIds: [...other.partnerIds, partnerId] })).status).toBe(200);
    });

    it('keeps a branch on its pairings and users, and refuses it for new pairings and new members', async () => {
      const branchId = court.branch('乍浦人民法庭党支部');
      const secretary = await court.user('zp-secretary', ['secretary'], branchId);
      const joint = await court.create('secretary', { coBranchIds: [branchId] });
      await patchBranch(branchId, { active: false }).expect(200);

      expect((await branch(branchId)).active).toBe(false);
      expect((await court.view('secretary', joint.id)).coBranchIds).toEqual([branchId]);
      expect((await court.patch('secretary', joint.id, { theme: '联合结对' })).status).toBe(200);
      const asCoBranch = await t
        .http()
        .post('/api/pairings')
        .set(auth(await t.token('secretary')))
        .send(court.proposal({ coBranchIds: [branchId] }));
      expect({ status: asCoBranch.status, details: asCoBranch.body.details }).toEqual({
        status: 400,
        details: [{ field: 'coBranchIds', messages: [`branch ${branchId} is deactivated`] }],
      });
      // Its own secretary cannot start a pairing for it, and nobody new joins it …
      const asLead = await t
        .http()
        .post('/api/pairings')
        .set(auth(await t.token('zp-secretary')))
        .send(court.proposal({ liaisonUserId: secretary, partnerLiaisons: [] }));
      expect({ status: asLead.status, field: asLead.body.details?.[0]?.field }).toEqual({ status: 400, field: 'leadBranchId' });
      const joining = await patchUser(court.id('member'), { branchId });
      expect({ status: joining.status, details: joining.body.details }).toEqual({
        status: 400,
        details: [{ field: 'branchId', messages: [`branch ${branchId} is deactivated`] }],
      });
      // … but those already in it stay and may still be changed.
      expect((await patchUser(secretary, { displayName: '乍浦法庭书记' })).status).toBe(200);
    });

    it('is for admins only, and a bad value is a field error', async () => {
      const res = await t
        .http()
        .patch('/api/partners/1')
        .set(auth(await t.token('committee')))
        .send({ active: false });
      expect(res.status).toBe(403);
      const bad = await patchBranch(1, { active: 'no' });
      expect({ status: bad.status, field: bad.body.details?.[0]?.field }).toEqual({ status: 400, field: 'active' });
      expect((await branch(1)).active).toBe(true);
    });
  });

  describe('the calendar', () => {
    it('tells every signed-in user the court’s time zone, its offset and today in it', async () => {
      const calendar = await at(
        t,
        new Date('2026-12-31T17:30:00.000Z'),
        async () =>
          (
            await t
              .http()
              .get('/api/calendar')
              .set(auth(await t.token('member')))
              .expect(200)
          ).body,
      );
      // 17:30 UTC on the 31st is already 1 January in Asia/Shanghai.
      expect(calendar).toEqual({ timezone: 'Asia/Shanghai', utcOffset: 'UTC+8', today: '2027-01-01', year: 2027, quarter: 1 });
      await t.http().get('/api/calendar').expect(401);
    });
  });
});
