import type { Response } from 'supertest';
import { activity, auth, Court, expectWellFormedHistory } from './support/pairing-flow';
import { engines, startTestApp, TestApp } from './support/test-app';

/** How many responses had each status (and code), e.g. { '200': 1, '409 INVALID_TRANSITION': 19 }. */
function tally(responses: Response[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const res of responses) {
    const key = res.status === 200 ? '200' : `${res.status} ${res.body.code}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

describe.each(engines())('Concurrent events on %s', (engine) => {
  let t: TestApp;
  let court: Court;
  const deciders = ['committee', 'committee2'];

  beforeAll(async () => {
    t = await startTestApp(engine);
    court = await Court.open(t);
    await court.user('committee2', ['committee']);
    for (const user of ['secretary', 'member', 'auditor', ...deciders]) await court.token(user);
  });
  afterAll(() => t.close());

  /** An activity this writer records, told apart by its title. */
  const activityOf = (as: string) => ({ ...activity(court.year, 4, 'lecture'), title: `${as}的讲座` });
  /** The server's own verification of the pairing's chain. */
  const verify = async (id: number) =>
    (
      await t
        .http()
        .get(`/api/audit/verify?pairingId=${id}`)
        .set(auth(await court.token('auditor')))
        .expect(200)
    ).body;

  it('lets exactly one of 20 parallel APPROVEs through; the others get 409', async () => {
    const { id, version } = await court.driveTo('proposed');
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => court.send(deciders[i % 2], id, { type: 'APPROVE', comment: `第${i}位` })),
    );
    expect(tally(responses)).toEqual({ '200': 1, '409 INVALID_TRANSITION': 19 });
    const view = await court.view('auditor', id);
    expect(view).toMatchObject({ state: 'approved', version: version + 1 });
    const history = await court.history(id);
    expect(history.filter((e) => e.type === 'APPROVE')).toHaveLength(1);
    expectWellFormedHistory(history, view.version);
    const winner = responses.findIndex((res) => res.status === 200);
    expect(history.at(-1)).toMatchObject({ type: 'APPROVE', comment: `第${winner}位`, actorId: String(court.id(deciders[winner % 2])) });
  });

  it('answers 412 to the losers when all 20 send If-Match', async () => {
    const { id, version } = await court.driveTo('proposed');
    const ifMatch = { 'If-Match': `"${version}"` };
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => court.send(deciders[i % 2], id, { type: 'APPROVE' }, ifMatch)),
    );
    expect(tally(responses)).toEqual({ '200': 1, '412 VERSION_CONFLICT': 19 });
    const history = await court.history(id);
    expect(history.filter((e) => e.type === 'APPROVE')).toHaveLength(1);
    expectWellFormedHistory(history, version + 1);
  });

  it('lets one of two writers holding the same version through; the other gets 412 and its activity is not kept', async () => {
    const { id, version } = await court.driveTo('active.collecting');
    const before = await court.history(id);
    const writers = ['secretary', 'member'];
    // Events that are both valid in sequence: only the version check stands between them and a lost update.
    const responses = await Promise.all(
      writers.map((as) => court.send(as, id, { ...activityOf(as), type: 'RECORD_ACTIVITY' }, { 'If-Match': `"${version}"` })),
    );
    expect(tally(responses)).toEqual({ '200': 1, '412 VERSION_CONFLICT': 1 });
    const winner = writers[responses.findIndex((res) => res.status === 200)];
    const loser = responses.find((res) => res.status === 412)!;
    expect(loser.body).toEqual({
      statusCode: 412,
      code: 'VERSION_CONFLICT',
      message: expect.any(String),
      details: { version: version + 1 },
      requestId: expect.any(String),
    });

    const view = await court.view('auditor', id);
    expect(view.version).toBe(version + 1);
    expect(view.activities.map((a: { title: string }) => a.title)).toEqual([activityOf(winner).title]);
    const history = await court.history(id);
    expect(history.slice(0, -1)).toEqual(before);
    expect(history.at(-1)).toMatchObject({ seq: version + 1, type: 'RECORD_ACTIVITY', actorId: String(court.id(winner)) });
    expectWellFormedHistory(history, version + 1);
    expect(await verify(id)).toEqual({ ok: true, chains: 1, events: version + 1, failures: [] });
  });

  it('applies two writers’ events sent at once without If-Match one after the other', async () => {
    const { id, version } = await court.driveTo('active.collecting');
    const writers = ['secretary', 'member'];
    const responses = await Promise.all(writers.map((as) => court.send(as, id, { ...activityOf(as), type: 'RECORD_ACTIVITY' })));
    expect(tally(responses)).toEqual({ '200': 2 });
    const [first, second] = [...responses].sort((a, b) => a.body.version - b.body.version);
    expect([first.body.version, second.body.version]).toEqual([version + 1, version + 2]);
    const titles = (res: Response) => res.body.activities.map((a: { title: string }) => a.title).sort();
    const writerOf = (res: Response) => writers[responses.indexOf(res)];
    // Each answer is the pairing as its own event left it: the second saw the first's activity.
    expect(titles(first)).toEqual([activityOf(writerOf(first)).title]);
    expect(titles(second)).toEqual(writers.map((as) => activityOf(as).title).sort());

    expect((await court.view('auditor', id)).version).toBe(version + 2);
    const history = await court.history(id);
    expect(history.slice(-2).map(({ seq, type, actorId }) => ({ seq, type, actorId }))).toEqual(
      [first, second].map((res) => ({ seq: res.body.version, type: 'RECORD_ACTIVITY', actorId: String(court.id(writerOf(res))) })),
    );
    expectWellFormedHistory(history, version + 2);
    expect(await verify(id)).toEqual({ ok: true, chains: 1, events: version + 2, failures: [] });
  });

  it('lets one of racing APPROVE, RETURN and REJECT win, and the state is the winner’s', async () => {
    const { id, version } = await court.driveTo('proposed');
    const decisions = [
      { type: 'APPROVE', to: 'approved' },
      { type: 'RETURN', comment: '退回', to: 'returned' },
      { type: 'REJECT', comment: '驳回', to: 'rejected' },
    ];
    const responses = await Promise.all(
      Array.from({ length: 12 }, (_, i) => {
        const { to: _to, ...body } = decisions[i % 3];
        return court.send(deciders[i % 2], id, body);
      }),
    );
    expect(tally(responses)).toEqual({ '200': 1, '409 INVALID_TRANSITION': 11 });
    const winner = responses.find((res) => res.status === 200)!;
    const history = await court.history(id);
    expectWellFormedHistory(history, version + 1);
    const decided = history.at(-1)!;
    expect(decisions.find((d) => d.type === decided.type)!.to).toBe(winner.body.state);
    expect((await court.view('auditor', id)).state).toBe(winner.body.state);
  });

  it('keeps all of 10 parallel RECORD_ACTIVITYs, each with its own seq', async () => {
    const { id, version } = await court.driveTo('active.collecting');
    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        court.send(i % 2 ? 'secretary' : 'member', id, {
          type: 'RECORD_ACTIVITY',
          ...activity(court.year, 4, i % 2 ? 'joint_meeting' : 'activity_day', 10 + i),
          title: `活动${i}`,
        }),
      ),
    );
    expect(tally(responses)).toEqual({ '200': 10 });
    expect(responses.map((res) => res.body.version).sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, i) => version + 1 + i));
    const view = await court.view('auditor', id);
    expect(view.version).toBe(version + 10);
    expect(view.activities.map((a: { title: string }) => a.title).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `活动${i}`).sort());
    expect(view.compliance[0]).toMatchObject({ quarter: 4, jointMeetings: 5, activityDays: 5 });
    expectWellFormedHistory(await court.history(id), view.version);
  });

  it('applies 10 parallel edits of a draft one after another', async () => {
    const { id, version } = await court.create('secretary');
    const responses = await Promise.all(Array.from({ length: 10 }, (_, i) => court.patch('secretary', id, { goals: `目标${i}` })));
    expect(tally(responses)).toEqual({ '200': 10 });
    const history = await court.history(id);
    expect(history.filter((e) => e.type === 'EDIT')).toHaveLength(10);
    expectWellFormedHistory(history, version + 10);
  });

  it('lets one of 10 parallel URGEs through; the others get 429', async () => {
    const { id, version } = await court.driveTo('proposed');
    const responses = await Promise.all(Array.from({ length: 10 }, () => court.send('secretary', id, { type: 'URGE' })));
    expect(tally(responses)).toEqual({ '200': 1, '429 URGED_RECENTLY': 9 });
    expectWellFormedHistory(await court.history(id), version + 1);
  });

  it('applies 10 parallel requests with one Idempotency-Key once; the others replay it or are told it is in flight', async () => {
    const { id, version } = await court.driveTo('active.collecting');
    const body = { type: 'RECORD_ACTIVITY', ...activity(court.year, 4, 'lecture') };
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => court.send('secretary', id, body, { 'Idempotency-Key': `parallel-${id}` })),
    );
    const counts = tally(responses);
    expect(Object.keys(counts).every((key) => key === '200' || key === '409 IDEMPOTENCY_KEY_IN_FLIGHT')).toBe(true);
    const ok = responses.filter((res) => res.status === 200);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    for (const res of ok) expect(res.body).toEqual(ok[0].body);
    const view = await court.view('auditor', id);
    expect(view.version).toBe(version + 1);
    expect(view.activities).toHaveLength(1);
  });
});
