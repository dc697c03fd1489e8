/**
 * Redis going away or losing its data (SPEC §9): transitions keep working because their side effects are
 * promised in the database, and a row is done only when its effect is recorded; rows Redis cannot take, or
 * whose jobs it lost, run in the worker itself. Every notification exists exactly once.
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

  it('takes transitions while Redis is down, runs their jobs in the worker itself, each once, and uses Bull again when it is back', async () => {
    const queues = t.app.get(QueueGateway);
    expect(queues.enabled).toBe(true);
    const ids: number[] = [];
    for (let i = 0; i < 8; i++) ids.push((await court.create('secretary')).id);
    await settleJobs(t);
    const before = await outboxRows(t);
    expect(before.every((r) => r.doneAt !== null && r.dispatchedAt !== null)).toBe(true);

    await redis.down();

    // Transitions only touch the database: all accepted.
    for (const id of ids) {
      expect((await court.send('secretary', id, { type: 'SUBMIT' })).status).toBe(200);
      expect((await court.send('committee', id, { type: 'APPROVE' })).status).toBe(200);
    }
    expect((await court.send('secretary', ids[0], { type: 'SIGN_AGREEMENT', ...agreement(court.year) })).status).toBe(200);
    const pending = (await outboxRows(t)).filter((r) => r.doneAt === null);
    expect(pending).toHaveLength(2 * ids.length + 1);

    // Redis does not take the first jobs (one enqueue timeout, 5 s); the dispatcher stops asking it for the
    // round and runs every row itself: each is done, none was handed to Bull, none counts a failed attempt.
    const started = Date.now();
    expect(await t.app.get(OutboxDispatcher).drain()).toBe(pending.length);
    expect(Date.now() - started).toBeLessThan(12_000);
    const ran = (await outboxRows(t)).filter((r) => pending.some((p) => p.id === r.id));
    expect(ran.map((r) => [r.id, r.doneAt !== null, r.dispatchedAt, r.attempts])).toEqual(pending.map((r) => [r.id, true, null, 0]));
    // Reads answer; health says Redis is down.
    await t
      .http()
      .get(`/api/pairings/${ids[0]}`)
      .set(auth(await court.token('auditor')))
      .expect(200);
    const health = await t.http().get('/api/health');
    expect(health.status).toBe(503);
    expect(health.body.details.error.redis.status).toBe('down');

    await redis.up();
    await eventually('Bull to reconnect', () => queuesIdle(queues).catch(() => false));
    // New work goes through Bull again.
    expect((await court.send('secretary', ids[1], { type: 'SIGN_AGREEMENT', ...agreement(court.year) })).status).toBe(200);
    await eventually('the new row to go through Bull', async () => {
      await settleJobs(t);
      const rows = await outboxRows(t, [ids[1]]);
      return rows.every((r) => r.doneAt !== null);
    });
    const latest = (await outboxRows(t, [ids[1]])).at(-1)!;
    expect(latest.dispatchedAt).not.toBeNull();
    expect(await (await queues.queue(NOTIFICATIONS_QUEUE).getJob(`outbox:${latest.id}`))?.getState()).toBe('completed');

    const notifications = await notificationRows(t, ids);
    expect(duplicates(notifications.map((n) => n.dedupeKey))).toEqual([]);
    const [committee, secretary, leader, partner] = ['committee', 'secretary', 'leader', 'partner'].map((u) => court.id(u));
    // The partner's user (SPEC §12) hears of each approval and is asked to countersign the two signed agreements.
    const expected = [
      ...ids.flatMap((id) => [
        `event:${id}:2:${committee}:WAITING`,
        `event:${id}:3:${secretary}:DECISION`,
        `event:${id}:3:${leader}:COPY`,
        `event:${id}:3:${partner}:DECISION`,
      ]),
      `event:${ids[0]}:4:${partner}:WAITING`,
      `event:${ids[1]}:4:${partner}:WAITING`,
    ];
    expect(notifications.map((n) => n.dedupeKey).sort()).toEqual(expected.sort());
    expect((await t.http().get('/api/health')).status).toBe(200);
  });

  it('loses no job when Redis loses its data: rows whose jobs vanished run in the worker once their lease ends', async () => {
    const queues = t.app.get(QueueGateway);
    await settleJobs(t);
    const ids: number[] = [];
    for (let i = 0; i < 6; i++) ids.push((await court.create('secretary')).id);
    // The jobs wait in Bull (this process's worker is paused) when Redis is flushed.
    await queues.queue(NOTIFICATIONS_QUEUE).pause(true);
    for (const id of ids) {
      await court.do('secretary', id, { type: 'SUBMIT' });
      await court.do('committee', id, { type: 'APPROVE' });
    }
    await t.app.get(OutboxDispatcher).drain();
    const handed = (await outboxRows(t, ids)).filter((r) => r.doneAt === null);
    expect(handed.length).toBeGreaterThanOrEqual(2 * ids.length);
    expect(handed.every((r) => r.dispatchedAt !== null)).toBe(true);
    expect(await queues.queue(NOTIFICATIONS_QUEUE).getWaitingCount()).toBeGreaterThanOrEqual(handed.length);

    await redis.flushAll();
    expect(await queues.queue(NOTIFICATIONS_QUEUE).getWaitingCount()).toBe(0);
    await queues.queue(NOTIFICATIONS_QUEUE).resume(true);

    // Within the lease nothing happens; after it, the dispatcher runs every open row itself.
    expect(await t.app.get(OutboxDispatcher).drain()).toBe(0);
    await at(
      t,
      () => new Date(Date.now() + t.config.jobs.leaseMs + 1000),
      () => settleJobs(t),
    );
    expect((await outboxRows(t, ids)).filter((r) => r.doneAt === null)).toEqual([]);
    const notifications = await notificationRows(t, ids);
    expect(duplicates(notifications.map((n) => n.dedupeKey))).toEqual([]);
    const [committee, secretary, leader, partner] = ['committee', 'secretary', 'leader', 'partner'].map((u) => court.id(u));
    expect(notifications.map((n) => n.dedupeKey).sort()).toEqual(
      ids
        .flatMap((id) => [
          `event:${id}:2:${committee}:WAITING`,
          `event:${id}:3:${secretary}:DECISION`,
          `event:${id}:3:${leader}:COPY`,
          `event:${id}:3:${partner}:DECISION`,
        ])
        .sort(),
    );
  });
});
