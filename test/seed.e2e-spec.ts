import { engines, settleJobs, startTestApp, TestApp } from './support/test-app';

describe.each(engines())('Demo data on %s', (engine) => {
  let t: TestApp;
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    t = await startTestApp(engine, { SEED_DEMO_PAIRINGS: 'true' });
  });
  afterAll(() => t.close());

  it('runs the demo pairings through the engine into several states, with real histories', async () => {
    const committee = await t.token('committee');
    const list = await t.http().get('/api/pairings?pageSize=100').set(auth(committee)).expect(200);
    const byState = Object.fromEntries(list.body.items.map((p: { state: string }) => [p.state, p]));
    expect(Object.keys(byState).sort()).toEqual(['active.collecting', 'proposed', 'returned', 'scored']);
    expect(byState['active.collecting'].quarter).toBe(2);
    // 0.6 × mean(88.5, 91, 86.5, 93) + 0.4 × 92 = 0.6 × 89.75 + 36.8
    expect(byState.scored.finalScore).toBe(90.65);
    expect(byState.proposed.availableEvents).toEqual(expect.arrayContaining(['APPROVE', 'RETURN', 'REJECT']));

    const history = await t.http().get(`/api/pairings/${byState.scored.id}/history`).set(auth(committee)).expect(200);
    expect(history.body.map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining(['CREATE', 'SUBMIT', 'APPROVE', 'SIGN_AGREEMENT', 'APPROVE_REVIEW']),
    );
    expect(history.body.at(-1).seq).toBe(byState.scored.version);

    const auditor = await t.token('auditor');
    const verify = await t.http().get('/api/audit/verify').set(auth(auditor)).expect(200);
    expect(verify.body.ok).toBe(true);
    expect(verify.body.chains).toBeGreaterThanOrEqual(5);
  });

  it('leaves tasks and notifications for the people the demo pairings wait on', async () => {
    await settleJobs(t);
    const committee = await t.token('committee');
    const tasks = await t.http().get('/api/tasks').set(auth(committee)).expect(200);
    expect(tasks.body.map((task: { kind: string }) => task.kind)).toContain('REVIEW_PROPOSAL');
    const notes = await t
      .http()
      .get('/api/notifications')
      .set(auth(await t.token('secretary4')))
      .expect(200);
    expect(notes.body.items.some((n: { kind: string }) => n.kind === 'DECISION')).toBe(true);
  });
});
