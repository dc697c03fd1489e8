import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';
import { ServiceUnavailableError } from '../common/errors';
import { DatabaseService } from '../database/database.service';
import { OutboxRow } from '../outbox/outbox.entity';
import { JobHandlers } from './job-handlers';
import { JobTimers } from './job-timers';
import { NotificationProcessor } from './notifications/notification.processor';
import { OutboxDispatcher } from './outbox.dispatcher';
import { QueueGateway } from './queue.gateway';

/**
 * The dispatcher and the handlers' bookkeeping on a real (in-memory SQLite) outbox table, with a fake
 * processor, fake queues and a fake clock.
 */
describe(OutboxDispatcher.name, () => {
  const T0 = Date.parse('2026-03-01T00:00:00.000Z');
  const LEASE = 15_000;
  let dataSource: DataSource;
  let db: DatabaseService;
  let now: number;
  let processed: Record<string, unknown>[];
  let enqueued: { queue: string; name: string; data: Record<string, unknown>; jobId: string }[];
  let handle: (data: Record<string, unknown>) => Promise<unknown>;
  let enqueue: (data: Record<string, unknown>) => Promise<void>;

  const clock = { now: () => new Date(now) } as Clock;
  const timing: JobTimers = { dispatchEveryMs: 0, sweepEveryMs: 0, leaseMs: LEASE, parkAfter: 4 };
  const processor = {
    process: async (data: Record<string, unknown>) => {
      processed.push(data);
      return handle(data);
    },
  } as unknown as NotificationProcessor;
  const gateway = (enabled: boolean) =>
    ({
      enabled,
      enqueue: async (queue: string, name: string, data: Record<string, unknown>, jobId: string) => {
        enqueued.push({ queue, name, data, jobId });
        await enqueue(data);
      },
    }) as unknown as QueueGateway;
  const handlers = () => new JobHandlers(processor, db, clock, timing);
  const inProcess = () => new OutboxDispatcher(db, handlers(), gateway(false), clock, timing);
  const onRedis = () => new OutboxDispatcher(db, handlers(), gateway(true), clock, timing);

  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(['log', 'error', 'warn', 'debug', 'verbose']));

  beforeEach(async () => {
    dataSource = new DataSource({ type: 'better-sqlite3', database: ':memory:', entities: [OutboxRow], synchronize: true });
    await dataSource.initialize();
    db = new DatabaseService(dataSource);
    now = T0;
    processed = [];
    enqueued = [];
    handle = async () => 1;
    enqueue = async () => undefined;
  });
  afterEach(() => dataSource.destroy());

  async function add(count: number, extra: Partial<Omit<OutboxRow, 'payload'>> = {}): Promise<number[]> {
    const ids: number[] = [];
    for (let i = 0; i < count; i++) {
      const result = await dataSource.manager.insert(OutboxRow, {
        queue: 'notifications',
        kind: 'pairing.event',
        payload: { pairingId: 7, seq: i + 1 } as never,
        createdAt: new Date(now).toISOString(),
        availableAt: new Date(now).toISOString(),
        attempts: 0,
        claimedUntil: null,
        dispatchedAt: null,
        doneAt: null,
        parkedAt: null,
        lastError: null,
        ...extra,
      });
      ids.push(result.identifiers[0].id);
    }
    return ids;
  }
  const rows = () => dataSource.manager.find(OutboxRow, { order: { id: 'ASC' } });
  const row = (id: number) => dataSource.manager.findOneByOrFail(OutboxRow, { id });
  const iso = (ms: number) => new Date(ms).toISOString();

  it('runs each row in-process with its payload and id, and marks it done with its effect', async () => {
    const [id] = await add(1);
    expect(await inProcess().drain()).toBe(1);
    expect(processed).toEqual([{ pairingId: 7, seq: 1, outboxId: id }]);
    expect(await row(id)).toMatchObject({ doneAt: iso(T0), claimedUntil: null, attempts: 0, lastError: null, parkedAt: null });
    expect(await inProcess().drain()).toBe(0);
    expect(processed).toHaveLength(1);
  });

  it('marks nothing done when the effect rolls back with a failing processor', async () => {
    const [id] = await add(1);
    handle = async () => {
      throw new Error('processor bug');
    };
    await inProcess().drain();
    expect(await row(id)).toMatchObject({ doneAt: null, attempts: 1, lastError: 'processor bug' });
  });

  it('runs the rows of a round a few to a transaction', async () => {
    const ids = await add(3);
    const ran: number[] = [];
    handle = async (data) => {
      ran.push(Number(data.outboxId));
      return 1;
    };
    const transactions = jest.spyOn(dataSource, 'createQueryRunner');
    expect(await inProcess().drain()).toBe(3);
    // Two claims (the second finds nothing left) and the three rows together.
    expect(transactions).toHaveBeenCalledTimes(3);
    expect(ran).toEqual(ids);
    for (const id of ids) expect((await row(id)).doneAt).toBe(iso(T0));
  });

  it('runs all the rows of a claim that run in-process at once: on SQLite one transaction (one group commit)', async () => {
    const ids = await add(20);
    handle = async () => 1;
    const transactions = jest.spyOn(dataSource, 'createQueryRunner');
    expect(await inProcess().drain()).toBe(20);
    // Two claims (the second finds nothing left) and the twenty rows together, eight to a savepoint.
    expect(transactions).toHaveBeenCalledTimes(3);
    for (const id of ids) expect((await row(id)).doneAt).toBe(iso(T0));
  });

  it('runs the others of a batch again without a row that failed, which loses only its own effect and is tried once', async () => {
    await dataSource.query('CREATE TABLE `effect` (`outbox_id` INTEGER NOT NULL)');
    const [first, bad, last] = await add(3);
    const ran: number[] = [];
    handle = async (data) => {
      ran.push(Number(data.outboxId));
      await db.transaction((m) => m.query('INSERT INTO `effect` (`outbox_id`) VALUES (?)', [data.outboxId]));
      if (data.outboxId === bad) throw new Error('failed after writing');
      return 1;
    };
    expect(await inProcess().drain()).toBe(2);
    // The batch stopped at the failure (the last row never ran in it); the others ran again without it.
    expect(ran).toEqual([first, bad, first, last]);
    const effects: { outbox_id: number }[] = await dataSource.query('SELECT `outbox_id` FROM `effect` ORDER BY `outbox_id`');
    expect(effects.map((e) => e.outbox_id)).toEqual([first, last]);
    expect(await row(bad)).toMatchObject({ doneAt: null, attempts: 1, lastError: 'failed after writing' });
    expect((await row(first)).doneAt).toBe(iso(T0));
    expect((await row(last)).doneAt).toBe(iso(T0));
  });

  it('stops a batch at a failure of the database (a deadlock rolls back all of it on MySQL) and runs each row alone', async () => {
    const [first, stuck, last] = await add(3);
    let deadlocks = 1;
    const ran: number[] = [];
    handle = async (data) => {
      ran.push(Number(data.outboxId));
      if (data.outboxId === stuck && deadlocks-- > 0) throw Object.assign(new Error('Deadlock found'), { code: 'ER_LOCK_DEADLOCK' });
      return 1;
    };
    const rowsAlone = jest.spyOn(JobHandlers.prototype, 'runOutboxRow');
    expect(await inProcess().drain()).toBe(3);
    // The batch stopped at the deadlock (the last row never ran in it); then each row ran again on its own.
    expect(ran).toEqual([first, stuck, first, stuck, last]);
    expect(rowsAlone.mock.calls.map(([row]) => (typeof row === 'number' ? row : row.id))).toEqual([first, stuck, last]);
    for (const id of [first, stuck, last]) expect(await row(id)).toMatchObject({ doneAt: iso(T0), attempts: 0 });
  });

  it('hands rows to Bull once, with the string job id outbox:<id>, and leaves them open until their effect is recorded', async () => {
    const ids = await add(3);
    expect(await onRedis().drain()).toBe(3);
    expect(processed).toEqual([]);
    expect(enqueued.map((j) => [j.queue, j.name, j.jobId, j.data.outboxId])).toEqual(
      ids.map((id) => ['notifications', 'pairing.event', `outbox:${id}`, id]),
    );
    for (const r of await rows()) expect(r).toMatchObject({ dispatchedAt: iso(T0), doneAt: null, claimedUntil: iso(T0 + LEASE) });
    // Within the lease nobody drives them again.
    now = T0 + LEASE - 1;
    expect(await onRedis().drain()).toBe(0);
    // A Bull worker runs one: it is done.
    await handlers().runOutboxRow(ids[0]);
    expect((await row(ids[0])).doneAt).toBe(iso(now));
  });

  it('runs a row here when its Bull job was lost (Redis flushed, the worker killed) and the lease ran out', async () => {
    const ids = await add(2);
    await onRedis().drain();
    expect(enqueued).toHaveLength(2);
    now = T0 + LEASE + 1;
    expect(await onRedis().drain()).toBe(2);
    // Not to Bull again: the dispatcher runs them itself.
    expect(enqueued).toHaveLength(2);
    expect(processed.map((p) => p.outboxId)).toEqual(ids);
    expect((await rows()).every((r) => r.doneAt === iso(now))).toBe(true);
  });

  it('runs a row once when its lost Bull job turns up again after all', async () => {
    const [id] = await add(1);
    await onRedis().drain();
    now = T0 + LEASE + 1;
    await onRedis().drain();
    expect(await handlers().runOutboxRow(id)).toBe('skipped');
    expect(processed).toHaveLength(1);
  });

  it('hands on every row of a backlog larger than one batch, oldest first', async () => {
    const ids = await add(120);
    expect(await inProcess().drain()).toBe(120);
    expect(processed.map((p) => p.outboxId)).toEqual(ids);
  });

  it('leaves rows alone that are done, parked, not yet available, or leased to another dispatcher; takes expired leases', async () => {
    const later = iso(T0 + 60_000);
    await add(1, { doneAt: iso(T0) });
    await add(1, { parkedAt: iso(T0), attempts: 9 });
    const [future] = await add(1, { availableAt: later });
    const [claimed] = await add(1, { claimedUntil: later });
    const [expired] = await add(1, { claimedUntil: iso(T0 - 1) });
    expect(await inProcess().drain()).toBe(1);
    expect(processed.map((p) => p.outboxId)).toEqual([expired]);
    now = T0 + 60_001;
    expect(await inProcess().drain()).toBe(2);
    expect(processed.map((p) => p.outboxId)).toEqual([expired, future, claimed]);
  });

  it('runs each row once when dispatchers race', async () => {
    const ids = await add(75);
    const counts = await Promise.all([inProcess().drain(), inProcess().drain(), onRedis().drain()]);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(75);
    const seen = [...processed.map((p) => p.outboxId), ...enqueued.map((j) => j.data.outboxId)] as number[];
    expect(seen.sort((a, b) => a - b)).toEqual(ids);
  });

  it('keeps a row whose processor fails, with attempts, error and a growing backoff, and runs it again later', async () => {
    const [bad, good] = await add(2);
    handle = async (data) => {
      if (data.outboxId === bad) throw new Error('something went wrong');
      return 1;
    };
    expect(await inProcess().drain()).toBe(1);
    expect(await row(bad)).toMatchObject({
      doneAt: null,
      claimedUntil: null,
      attempts: 1,
      lastError: 'something went wrong',
      availableAt: iso(T0 + 2000),
    });
    expect((await row(good)).doneAt).not.toBeNull();

    now = T0 + 2000;
    expect(await inProcess().drain()).toBe(0);
    expect(await row(bad)).toMatchObject({ attempts: 2, availableAt: iso(T0 + 2000 + 4000) });

    handle = async () => 1;
    now = T0 + 6000;
    expect(await inProcess().drain()).toBe(1);
    expect(await row(bad)).toMatchObject({ attempts: 2, lastError: null, doneAt: iso(T0 + 6000) });
  });

  it('runs a row whose Bull attempt failed here, after its backoff', async () => {
    const [id] = await add(1);
    await onRedis().drain();
    handle = async () => {
      throw new Error('worker hit a bug once');
    };
    await expect(handlers().runOutboxRow(id)).rejects.toThrow('worker hit a bug once');
    expect(await row(id)).toMatchObject({ attempts: 1, claimedUntil: null, availableAt: iso(T0 + 2000), doneAt: null });
    handle = async () => 1;
    now = T0 + 2000;
    expect(await onRedis().drain()).toBe(1);
    expect(enqueued).toHaveLength(1);
    expect((await row(id)).doneAt).toBe(iso(now));
  });

  it('parks a row that keeps failing with the same bug, and never drives it again by itself', async () => {
    const [id] = await add(1);
    handle = async () => {
      throw new TypeError("Cannot read properties of undefined (reading 'id')");
    };
    for (let attempt = 1; attempt <= timing.parkAfter; attempt++) {
      await inProcess().drain();
      now = Date.parse((await row(id)).availableAt);
    }
    expect(await row(id)).toMatchObject({ attempts: timing.parkAfter, doneAt: null, parkedAt: expect.any(String) });
    now += 24 * 3600_000;
    expect(await inProcess().drain()).toBe(0);
    expect(processed).toHaveLength(timing.parkAfter);
  });

  it('never parks a row that fails because the database is gone, however long that lasts; the backoff stays at five minutes', async () => {
    const [id] = await add(1);
    handle = async () => {
      throw new ServiceUnavailableError('database');
    };
    let waited = 0;
    for (let attempt = 1; attempt <= 40; attempt++) {
      const triedAt = now;
      await inProcess().drain();
      now = Date.parse((await row(id)).availableAt);
      waited = now - triedAt;
    }
    expect(await row(id)).toMatchObject({ attempts: 40, parkedAt: null, doneAt: null });
    expect(waited).toBe(5 * 60_000);
    // Forty attempts: well over two hours of outage.
    expect(now - T0).toBeGreaterThan(2 * 3600_000);
    handle = async () => 1;
    await inProcess().drain();
    expect((await row(id)).doneAt).toBe(iso(now));
  });

  it('tries a failing row once per round, even when its backoff runs out during the round', async () => {
    const [bad] = await add(1);
    await add(20);
    // Each run takes (on the clock) longer than the first backoffs.
    handle = async (data) => {
      now += 10_000;
      if (data.outboxId === bad) throw new Error('slow and failing');
      return 1;
    };
    expect(await inProcess().drain()).toBe(20);
    expect(processed.filter((p) => p.outboxId === bad)).toHaveLength(1);
    expect(await row(bad)).toMatchObject({ attempts: 1, doneAt: null });
  });

  it('runs rows here when Redis refuses them, and stops asking Redis for the rest of the round', async () => {
    const ids = await add(30);
    enqueue = async () => {
      throw new Error('Redis did not accept the job in time');
    };
    expect(await onRedis().drain()).toBe(30);
    // At most one parallel chunk was offered to Redis before the round gave up on it.
    expect(enqueued.length).toBeLessThanOrEqual(8);
    expect(processed.map((p) => p.outboxId)).toEqual(ids);
    expect((await rows()).every((r) => r.doneAt !== null && r.dispatchedAt === null && r.attempts === 0)).toBe(true);
  });
});
