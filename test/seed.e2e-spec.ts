import { dateIn } from '../src/common/clock';
import { DeadlineSweeper } from '../src/jobs/deadlines/deadline.sweeper';
import { DemoPairingsSeeder } from '../src/seed/demo-pairings';
import { quarterOf } from '../workflows';
import { at } from './support/jobs';
import { engines, settleJobs, startTestApp, TestApp } from './support/test-app';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- API bodies are read loosely

describe.each(engines())('Demo data on %s', (engine) => {
  let t: TestApp;
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
  const get = async (url: string, as = 'committee') =>
    (
      await t
        .http()
        .get(url)
        .set(auth(await t.token(as)))
        .expect(200)
    ).body;

  beforeAll(async () => {
    t = await startTestApp(engine, { SEED_DEMO_PAIRINGS: 'true' });
  });
  afterAll(() => t.close());

  it('runs the demo pairings through the engine into several states, with real histories', async () => {
    const list = await get('/api/pairings?pageSize=100');
    const byState = Object.fromEntries(list.items.map((p: { state: string }) => [p.state, p]));
    expect(Object.keys(byState).sort()).toEqual(['active.collecting', 'proposed', 'returned', 'scored']);
    // The active pairing is in the quarter we are in.
    expect(byState['active.collecting'].quarter).toBe(quarterOf(dateIn(t.config.timezone, new Date())));
    // 0.6 × mean(88.5, 91, 86.5, 93) + 0.4 × 92 = 0.6 × 89.75 + 36.8
    expect(byState.scored.finalScore).toBe(90.65);
    expect(byState.proposed.availableEvents).toEqual(expect.arrayContaining(['APPROVE', 'RETURN', 'REJECT']));

    const history = await get(`/api/pairings/${byState.scored.id}/history`);
    expect(history.map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining(['CREATE', 'SUBMIT', 'APPROVE', 'SIGN_AGREEMENT', 'APPROVE_REVIEW']),
    );
    expect(history.at(-1).seq).toBe(byState.scored.version);
    // The partner side (SPEC §12): last year's partner countersigned, confirmed each quarter's activity day and rated the year.
    const scored = await get(`/api/pairings/${byState.scored.id}`);
    expect(scored.agreement.countersignatures).toEqual([expect.objectContaining({ paper: false })]);
    expect(scored.activities.filter((a: { confirmedByPartner: boolean }) => a.confirmedByPartner)).toHaveLength(4);
    expect(scored.evaluations).toEqual([expect.objectContaining({ rating: 5 })]);

    const verify = await get('/api/audit/verify', 'auditor');
    expect(verify.ok).toBe(true);
    expect(verify.chains).toBeGreaterThanOrEqual(5);
  });

  it('leaves tasks and notifications for the people the demo pairings wait on', async () => {
    await settleJobs(t);
    const tasks = await get('/api/tasks');
    expect(tasks.map((task: { kind: string }) => task.kind)).toContain('REVIEW_PROPOSAL');
    const notes = await get('/api/notifications', 'secretary4');
    expect(notes.items.some((n: { kind: string }) => n.kind === 'DECISION')).toBe(true);
  });

  describe.each([
    ['in the first quarter', '2026-02-10T02:00:00.000Z', 1, 2026],
    ['early in a quarter', '2026-10-05T02:00:00.000Z', 4, 2027],
    ['on 1 December', '2026-12-01T07:11:00.000Z', 4, 2027],
  ])('started %s (%s)', (_, now, quarter, proposalYear) => {
    let pairings: Json[];
    beforeAll(async () => {
      const before = new Set((await get('/api/pairings?pageSize=100')).items.map((p: Json) => p.id));
      await at(t, new Date(now), () => t.app.get(DemoPairingsSeeder).seed());
      const all = (await get('/api/pairings?pageSize=100')).items as Json[];
      // Read as on that day: the compliance matrix judges overdue against "today".
      pairings = await at(t, new Date(now), () =>
        Promise.all(all.filter((p) => !before.has(p.id)).map((p) => get(`/api/pairings/${p.id}`))),
      );
    });
    const today = (iso: string) => dateIn('Asia/Shanghai', new Date(iso));
    const inState = (state: string) => pairings.find((p) => p.state === state)!;

    it('has this year’s pairing active in the current quarter, every earlier quarter reported, nothing overdue', async () => {
      const active = inState('active.collecting');
      expect({ year: active.year, quarter: active.quarter }).toEqual({ year: 2026, quarter });
      expect(active.quarterScores.map((s: Json) => s.quarter)).toEqual([1, 2, 3].filter((q) => q < quarter));
      expect(active.activities.every((a: Json) => a.heldOn.startsWith('2026-') && a.heldOn <= today(now))).toBe(true);
      expect(active.activities.filter((a: Json) => a.quarter === quarter).map((a: Json) => a.kind)).toEqual(['joint_meeting']);
      expect(active.agreement.signedOn <= today(now)).toBe(true);
      expect(active.compliance.filter((c: Json) => c.overdue)).toEqual([]);
      // The sweep on that day finds nothing of this pairing's to flag.
      await at(t, new Date(now), () => t.app.get(DeadlineSweeper).sweep());
      const history: Json[] = await get(`/api/pairings/${active.id}/history`);
      expect(history.map((e) => e.type)).not.toContain('QUARTER_OVERDUE');
    });

    it('has last year’s pairing read as last year’s, while its audit trail keeps the real time of entry', async () => {
      const scored = inState('scored');
      expect(scored.year).toBe(2025);
      expect(scored.agreement).toMatchObject({ signedOn: '2025-01-08', validFrom: '2025-01-01', validTo: '2025-12-31' });
      expect(scored.plan.items.every((i: Json) => i.dueDate.startsWith('2025-'))).toBe(true);
      expect(scored.activities.map((a: Json) => a.heldOn.slice(0, 4))).toEqual(Array(8).fill('2025'));
      const history: Json[] = await get(`/api/pairings/${scored.id}/history`);
      expect(new Set(history.map((e) => e.at.slice(0, 10)))).toEqual(new Set([now.slice(0, 10)]));
    });

    it('plans next year’s pairings once the last quarter has begun', () => {
      expect([inState('proposed').year, inState('returned').year]).toEqual([proposalYear, proposalYear]);
    });
  });
});
