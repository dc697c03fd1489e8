/**
 * Redis going away (SPEC §9): transitions keep working because their side effects are promised in the
 * database; the dispatcher keeps the rows, without crashing, until Redis is back; then every job is
 * delivered and every notification exists exactly once.
 *
 * The test runs its own redis-server (so it may kill it) beside the app on MySQL.
 */
import { OutboxDispatcher } from '../src/jobs/outbox.dispatcher';
import { QueueGateway } from '../src/jobs/queue.gateway';
import { NOTIFICATIONS_QUEUE } from '../src/outbox/queues';
import { at, describeWithRedis, duplicates, eventually, notificationRows, outboxRows, PrivateRedis, queuesIdle } from './support/jobs';
import { agreement, auth, Court } from './support/pairing-flow';
import { settleJobs, startTestApp, TestApp } from './support/test-app';

jest.setTimeout(90_000);

describeWithRedis('Jobs on %s while Redis is stopped and started again (needs TEST_REDIS_URL)', (engine) => {
  let redis: PrivateRedis;
  let t: TestApp;
  let court: Court;

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    t = await startTestApp(engine, { REDIS_URL: redis.url, QUEUE_PREFIX: `gj-redis-stop-${process.pid}` });
    court = await Court.open(t);
    for (const user of ['secretary', 'committee', 'leader', 'auditor']) await court.token(user);
  });
  afterAll(async () => {
    await t?.close();
    await redis?.down();
  });

  it('takes transitions while Redis is down and delivers each of their jobs once when it is back', async () => {
    const queues = t.app.get(QueueGateway);
    expect(queues.enabled).toBe(true);
    const ids: number[] = [];
    for (let i = 0; i < 8; i++) ids.push((await court.create('secretary')).id);
    await settleJobs(t);
    const before = await outboxRows(t);
    expect(before.every((r) => r.dispatchedAt !== null)).toBe(true);

    await redis.down();

    // Transitions only touch the database: all accepted.
    for (const id of ids) {
      expect((await court.send('secretary', id, { type: 'SUBMIT' })).status).toBe(200);
      expect((await court.send('committee', id, { type: 'APPROVE' })).status).toBe(200);
    }
    expect((await court.send('secretary', ids[0], { type: 'SIGN_AGREEMENT', ...agreement(court.year) })).status).toBe(200);
    const pending = (await outboxRows(t)).filter((r) => r.dispatchedAt === null);
    expect(pending).toHaveLength(2 * ids.length + 1);

    // The dispatcher cannot hand anything on: it keeps the rows, records why, and does not throw. It gives
    // up the round after the first refusal (one enqueue timeout, 5 s) instead of waiting that long for every
    // row — and of trying rows again whose short backoff ran out meanwhile, which never ended.
    const started = Date.now();
    expect(await t.app.get(OutboxDispatcher).drain()).toBe(0);
    expect(Date.now() - started).toBeLessThan(12_000);
    const kept = (await outboxRows(t)).filter((r) => r.dispatchedAt === null);
    expect(kept.map((r) => r.id)).toEqual(pending.map((r) => r.id));
    const tried = kept.filter((r) => r.attempts > 0);
    expect(tried.length).toBeGreaterThan(0);
    expect(tried.length).toBeLessThan(kept.length);
    expect(tried.every((r) => r.attempts === 1 && r.lastError !== null)).toBe(true);
    // Nothing stays claimed: another dispatcher may take the rows the moment Redis is back.
    expect(kept.every((r) => r.claimedUntil === null)).toBe(true);
    // Reads and health answer without a 500: health says Redis is down.
    await t
      .http()
      .get(`/api/pairings/${ids[0]}`)
      .set(auth(await court.token('auditor')))
      .expect(200);
    const health = await t.http().get('/api/health');
    expect(health.status).toBe(503);

    await redis.up();
    await eventually('Bull to reconnect', () => queuesIdle(queues).catch(() => false));
    // Past every backoff: everything goes out.
    await at(
      t,
      () => new Date(Date.now() + 10 * 60_000),
      () => settleJobs(t),
    );
    await eventually('the workers to finish', () => queuesIdle(queues));
    const after = await outboxRows(t);
    expect(after.filter((r) => r.dispatchedAt === null)).toEqual([]);
    const queue = queues.queue(NOTIFICATIONS_QUEUE);
    for (const row of pending) expect(await (await queue.getJob(`outbox:${row.id}`))?.getState()).toBe('completed');

    const notifications = await notificationRows(t, ids);
    expect(duplicates(notifications.map((n) => n.dedupeKey))).toEqual([]);
    const [committee, secretary, leader] = ['committee', 'secretary', 'leader'].map((u) => court.id(u));
    const expected = ids.flatMap((id) => [
      `event:${id}:2:${committee}:WAITING`,
      `event:${id}:3:${secretary}:DECISION`,
      `event:${id}:3:${leader}:COPY`,
    ]);
    expect(notifications.map((n) => n.dedupeKey).sort()).toEqual(expected.sort());
    expect((await t.http().get('/api/health')).status).toBe(200);
  });
});
