/**
 * Helpers for the job suites: what the outbox and the notification table hold, moving the Clock,
 * a private redis-server that a test may stop and start, and waiting on Bull.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import Redis from 'ioredis';
import { Clock } from '../../src/common/clock';
import { QueueGateway } from '../../src/jobs/queue.gateway';
import { QUEUE_NAMES } from '../../src/outbox/queues';
import { Engine, engines, TestApp } from './test-app';

export interface OutboxView {
  id: number;
  queue: string;
  kind: string;
  payload: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- each job kind has its own payload
  attempts: number;
  availableAt: string;
  claimedUntil: string | null;
  dispatchedAt: string | null;
  doneAt: string | null;
  parkedAt: string | null;
  lastError: string | null;
}

/** Every outbox row, oldest first (optionally only those of some pairings). */
export async function outboxRows(t: TestApp, pairingIds?: number[]): Promise<OutboxView[]> {
  const rows: Record<string, unknown>[] = await t.dataSource.query(
    'SELECT id, queue, kind, payload, attempts, available_at, claimed_until, dispatched_at, done_at, parked_at, last_error FROM outbox ORDER BY id',
  );
  const all = rows.map((r) => ({
    id: Number(r.id),
    queue: String(r.queue),
    kind: String(r.kind),
    payload: typeof r.payload === 'string' ? JSON.parse(r.payload) : (r.payload as Record<string, unknown>),
    attempts: Number(r.attempts),
    availableAt: String(r.available_at),
    claimedUntil: (r.claimed_until as string | null) ?? null,
    dispatchedAt: (r.dispatched_at as string | null) ?? null,
    doneAt: (r.done_at as string | null) ?? null,
    parkedAt: (r.parked_at as string | null) ?? null,
    lastError: (r.last_error as string | null) ?? null,
  }));
  return pairingIds ? all.filter((r) => pairingIds.includes(Number(r.payload.pairingId))) : all;
}

export interface NotificationView {
  id: number;
  userId: number;
  pairingId: number | null;
  kind: string;
  dedupeKey: string;
  readAt: string | null;
  doneAt: string | null;
}

/** Notification rows straight from the table, by id (optionally only those about some pairings). */
export async function notificationRows(t: TestApp, pairingIds?: number[]): Promise<NotificationView[]> {
  const rows: Record<string, unknown>[] = await t.dataSource.query(
    'SELECT id, user_id, pairing_id, kind, dedupe_key, read_at, done_at FROM notification ORDER BY id',
  );
  const all = rows.map((r) => ({
    id: Number(r.id),
    userId: Number(r.user_id),
    pairingId: r.pairing_id === null ? null : Number(r.pairing_id),
    kind: String(r.kind),
    dedupeKey: String(r.dedupe_key),
    readAt: (r.read_at as string | null) ?? null,
    doneAt: (r.done_at as string | null) ?? null,
  }));
  return pairingIds ? all.filter((n) => n.pairingId !== null && pairingIds.includes(n.pairingId)) : all;
}

/** Dedupe keys that occur more than once (the unique index should make this impossible). */
export function duplicates(keys: string[]): string[] {
  const seen = new Set<string>();
  return keys.filter((k) => (seen.has(k) ? true : (seen.add(k), false)));
}

/** Runs `work` with the app's Clock reading `at` (a Date or a function of the real time). */
export async function at<T>(t: TestApp, when: Date | (() => Date), work: () => Promise<T>): Promise<T> {
  const spy = jest.spyOn(t.app.get(Clock), 'now').mockImplementation(typeof when === 'function' ? when : () => new Date(when));
  try {
    return await work();
  } finally {
    spy.mockRestore();
  }
}

/** The Redis suites need MySQL and Redis (PROCESS_ROLE api/worker refuse anything less). */
export function redisEngines(): Engine[] {
  return process.env.TEST_REDIS_URL ? engines().filter((e) => e === 'mysql') : [];
}

/**
 * `describe.each` refuses an empty table; a suite that cannot run here says so, loudly, as a todo
 * in Jest's summary and one line on the console, instead of vanishing.
 */
export function describeWithRedis(title: string, body: (engine: Engine) => void): void {
  const list = redisEngines();
  if (list.length) {
    describe.each(list)(title, body);
    return;
  }
  const missing = ['TEST_DATABASE_URL', 'TEST_REDIS_URL'].filter((name) => !process.env[name]);
  const why = `needs MySQL and Redis: set ${missing.join(' and ')} (CI sets both)`;
  const name = title.replace('%s', 'mysql');
  process.stderr.write(`\n[not run] ${name} — ${why}\n`);
  describe(name, () => it.todo(`NOT RUN: ${why}`));
}

export const REDIS_SERVER = '/usr/bin/redis-server';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A redis-server of this test's own, on a fixed port, that the test may stop and start again. */
export class PrivateRedis {
  private proc: ChildProcess | null = null;

  private constructor(readonly port: number) {}

  static async start(): Promise<PrivateRedis> {
    if (!existsSync(REDIS_SERVER)) {
      throw new Error(
        `${REDIS_SERVER} is missing: this test starts and stops its own Redis; install redis-server (apt-get install redis-server)`,
      );
    }
    const redis = new PrivateRedis(await freePort());
    await redis.up();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async up(): Promise<void> {
    if (this.proc) return;
    const proc = spawn(
      REDIS_SERVER,
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'],
      { stdio: 'ignore' },
    );
    this.proc = proc;
    proc.on('exit', () => {
      if (this.proc === proc) this.proc = null;
    });
    const deadline = Date.now() + 10_000;
    for (;;) {
      const client = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      client.on('error', () => undefined);
      try {
        await client.connect();
        if ((await client.ping()) === 'PONG') return;
      } catch {
        if (Date.now() > deadline) throw new Error(`redis-server on port ${this.port} did not start`);
        await sleep(50);
      } finally {
        client.disconnect();
      }
    }
  }

  /** Empties this private server (never the shared one): every job and key in it is gone. */
  async flushAll(): Promise<void> {
    const client = new Redis(this.url, { maxRetriesPerRequest: 1 });
    try {
      await client.flushall();
    } finally {
      client.disconnect();
    }
  }

  /** Kills the server (no persistence: whatever it held is gone). */
  async down(): Promise<void> {
    const proc = this.proc;
    if (!proc) return;
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    proc.kill('SIGKILL');
    await exited;
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `check` returns true, or fails with `what`. */
export async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 30_000, everyMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** Bull has nothing waiting, running or delayed on any queue. */
export async function queuesIdle(queues: QueueGateway): Promise<boolean> {
  const counts = await Promise.all(QUEUE_NAMES.map((name) => queues.queue(name).getJobCounts()));
  return counts.every((c) => c.waiting + c.active + c.delayed === 0);
}

/** A pairing event's notifications as (seq, user, kind), from their dedupe keys `event:<pairing>:<seq>:<user>:<reason>`. */
export function eventNotifications(rows: NotificationView[], names: Map<number, string>): [number, string, string][] {
  return rows
    .filter((n) => n.dedupeKey.startsWith('event:'))
    .map((n) => {
      const [, , seq, userId] = n.dedupeKey.split(':');
      expect(Number(userId)).toBe(n.userId);
      return [Number(seq), names.get(n.userId) ?? `#${n.userId}`, n.kind] as [number, string, string];
    })
    .sort(byTuple);
}

export function byTuple(a: readonly (string | number)[], b: readonly (string | number)[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] === b[i]) continue;
    return String(a[i]).localeCompare(String(b[i]), 'en', { numeric: true });
  }
  return 0;
}
