import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';
import { DatabaseService } from '../database/database.service';
import { JobHandlers } from './job-handlers';
import { OutboxDispatcher } from './outbox.dispatcher';
import { OutboxRow } from '../outbox/outbox.entity';
import { QueueGateway } from './queue.gateway';

/** The dispatcher on a real (in-memory SQLite) outbox table, with fake processors, queues and clock. */
describe(OutboxDispatcher.name, () => {
  const T0 = Date.parse('2026-03-01T00:00:00.000Z');
  let dataSource: DataSource;
  let db: DatabaseService;
  let now: number;
  let handled: { queue: string; name: string; data: Record<string, unknown> }[];
  let enqueued: { queue: string; name: string; data: Record<string, unknown>; jobId: string }[];
  let handle: (data: Record<string, unknown>) => Promise<unknown>;
  let enqueue: (data: Record<string, unknown>) => Promise<void>;

  const clock = { now: () => new Date(now) } as Clock;
  const handlers = {
    run: async (queue: string, name: string, data: Record<string, unknown>) => {
      handled.push({ queue, name, data });
      return handle(data);
    },
  } as unknown as JobHandlers;
  const gateway = (enabled: boolean) =>
    ({
      enabled,
      enqueue: async (queue: string, name: string, data: Record<string, unknown>, jobId: string) => {
        enqueued.push({ queue, name, data, jobId });
        await enqueue(data);
      },
    }) as unknown as QueueGateway;
  const inProcess = () => new OutboxDispatcher(db, handlers, gateway(false), clock);
  const onRedis = () => new OutboxDispatcher(db, handlers, gateway(true), clock);

  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(['log', 'error', 'warn', 'debug', 'verbose']));

  beforeEach(async () => {
    dataSource = new DataSource({ type: 'better-sqlite3', database: ':memory:', entities: [OutboxRow], synchronize: true });
    await dataSource.initialize();
    db = new DatabaseService(dataSource);
    now = T0;
    handled = [];
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
        lastError: null,
        ...extra,
      });
      ids.push(result.identifiers[0].id);
    }
    return ids;
  }
  const rows = () => dataSource.manager.find(OutboxRow, { order: { id: 'ASC' } });
  const row = (id: number) => dataSource.manager.findOneByOrFail(OutboxRow, { id });

  it('runs each row in-process with its payload and id, then marks it dispatched', async () => {
    const [id] = await add(1);
    expect(await inProcess().drain()).toBe(1);
    expect(handled).toEqual([{ queue: 'notifications', name: 'pairing.event', data: { pairingId: 7, seq: 1, outboxId: id } }]);
    expect(await row(id)).toMatchObject({ dispatchedAt: new Date(T0).toISOString(), claimedUntil: null, attempts: 0, lastError: null });
    expect(await inProcess().drain()).toBe(0);
    expect(handled).toHaveLength(1);
  });

  it('hands rows to Bull with the string job id outbox:<id>, and does not run them itself', async () => {
    const ids = await add(3);
    expect(await onRedis().drain()).toBe(3);
    expect(handled).toEqual([]);
    expect(enqueued.map((j) => [j.queue, j.name, j.jobId, j.data.outboxId])).toEqual(
      ids.map((id) => ['notifications', 'pairing.event', `outbox:${id}`, id]),
    );
    expect((await rows()).every((r) => r.dispatchedAt !== null)).toBe(true);
  });

  it('hands on every row of a backlog larger than one batch, oldest first', async () => {
    const ids = await add(120);
    expect(await inProcess().drain()).toBe(120);
    expect(handled.map((h) => h.data.outboxId)).toEqual(ids);
  });

  it('leaves rows alone that are dispatched, not yet available, or claimed by another dispatcher; takes expired claims', async () => {
    const later = new Date(T0 + 60_000).toISOString();
    await add(1, { dispatchedAt: new Date(T0).toISOString() });
    const [future] = await add(1, { availableAt: later });
    const [claimed] = await add(1, { claimedUntil: later });
    const [expired] = await add(1, { claimedUntil: new Date(T0 - 1).toISOString() });
    expect(await inProcess().drain()).toBe(1);
    expect(handled.map((h) => h.data.outboxId)).toEqual([expired]);
    now = T0 + 60_001;
    expect(await inProcess().drain()).toBe(2);
    expect(handled.map((h) => h.data.outboxId)).toEqual([expired, future, claimed]);
  });

  it('hands each row on once when dispatchers race', async () => {
    const ids = await add(75);
    const counts = await Promise.all([inProcess().drain(), inProcess().drain(), onRedis().drain()]);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(75);
    const seen = [...handled.map((h) => h.data.outboxId), ...enqueued.map((j) => j.data.outboxId)] as number[];
    expect(seen.sort((a, b) => a - b)).toEqual(ids);
  });

  it('keeps a row whose processor fails, with attempts, error and a growing backoff, and runs it again later', async () => {
    const [bad, good] = await add(2);
    handle = async (data) => {
      if (data.outboxId === bad) throw new Error('database went away');
      return 1;
    };
    expect(await inProcess().drain()).toBe(1);
    expect(await row(bad)).toMatchObject({
      dispatchedAt: null,
      claimedUntil: null,
      attempts: 1,
      lastError: 'database went away',
      availableAt: new Date(T0 + 2000).toISOString(),
    });
    expect((await row(good)).dispatchedAt).not.toBeNull();

    now = T0 + 2000;
    expect(await inProcess().drain()).toBe(0);
    expect(await row(bad)).toMatchObject({ attempts: 2, availableAt: new Date(T0 + 2000 + 4000).toISOString() });

    handle = async () => 1;
    now = T0 + 6000;
    expect(await inProcess().drain()).toBe(1);
    expect(await row(bad)).toMatchObject({ attempts: 2, lastError: null, dispatchedAt: new Date(T0 + 6000).toISOString() });
  });

  it('caps the backoff at five minutes', async () => {
    const [id] = await add(1, { attempts: 20 });
    handle = async () => {
      throw new Error('still failing');
    };
    await inProcess().drain();
    expect(await row(id)).toMatchObject({ attempts: 21, availableAt: new Date(T0 + 5 * 60_000).toISOString() });
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
    expect(handled.filter((h) => h.data.outboxId === bad)).toHaveLength(1);
    expect(await row(bad)).toMatchObject({ attempts: 1, dispatchedAt: null });
  });

  it('stops the round when Redis refuses a job, and gives the rest of the batch back untried', async () => {
    const ids = await add(30);
    enqueue = async (data) => {
      if (data.outboxId === ids[0]) throw new Error('Redis did not accept the job in time');
    };
    const delivered = await onRedis().drain();
    const all = await rows();
    const failed = all.filter((r) => r.attempts > 0);
    expect(failed.map((r) => r.id)).toEqual([ids[0]]);
    expect(failed[0]).toMatchObject({ lastError: 'Redis did not accept the job in time', dispatchedAt: null });
    // Only the rows that went out with it (at most one parallel chunk) were tried.
    expect(enqueued.length).toBeLessThan(30);
    expect(delivered).toBe(enqueued.length - 1);
    expect(all.filter((r) => r.dispatchedAt !== null)).toHaveLength(delivered);
    expect(all.every((r) => r.claimedUntil === null)).toBe(true);

    // Redis back: the next round takes everything that is due.
    enqueue = async () => undefined;
    expect(await onRedis().drain()).toBe(30 - delivered - 1);
    now = T0 + 2000;
    expect(await onRedis().drain()).toBe(1);
    expect((await rows()).every((r) => r.dispatchedAt !== null)).toBe(true);
  });
});
