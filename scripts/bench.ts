/**
 * Throughput benchmark of the transition engine — a measurement, not a test: it never asserts, it prints.
 *
 *   npm run bench
 *   BENCH_DATABASE_URL=mysql://root@127.0.0.1:3306/test BENCH_PAIRINGS=64 BENCH_CONCURRENCY=32 npm run bench
 *
 * BENCH_DATABASE_URL  unset: a fresh temp SQLite file; mysql://… : a server URL — a fresh database
 *                     gj_bench_<random> is created on that server and dropped at the end.
 * BENCH_PAIRINGS      N pairings driven through the whole lifecycle (default 64)
 * BENCH_CONCURRENCY   C concurrent workers (default 32); each drives one pairing at a time
 * BENCH_CENSUS_SQL=1  also print every SQL statement of the single-pairing query census
 * BENCH_JOBS=off      no in-process jobs (outbox dispatch, notifications): the request path's CPU alone
 * BENCH_CLIENT        process (default): the load comes from a child process of its own, as real clients
 *                     are not in the server's process; inprocess: the client shares the app's event loop
 * BENCH_CPU_PROFILE   a file name: write a V8 CPU profile (.cpuprofile) of the lifecycle phase only
 * BENCH_TIMEOUT_SECONDS  give up (exit 2) after this long (default 600)
 *
 * Starts the app in-process on 127.0.0.1 (random port; in-process jobs as in a default deployment), signs in
 * secretary/committee/member once, creates N pairings and drives each through SUBMIT … APPROVE_REVIEW
 * (23 events) over HTTP with C workers: transitions/s, latency percentiles (overall and per event type),
 * CPU per transition (this process; the database server too when it runs here), SQL statements per
 * transition (in the request / in background jobs), the outbox backlog, and a census of one pairing driven
 * alone. Then a raw floor doing the same writes per transition directly on the app's migrated schema
 * (mysql2 pool of C, or one better-sqlite3 connection with synchronous transactions), and a peer: the same
 * lifecycle through bpmn-engine with its state as JSON in the same database and the same audit and outbox
 * writes, no HTTP (bench-peer.ts). Last, the RESULT lines: app/peer, app/floor, p99, errors, SQL statements
 * and Node CPU per transition against their targets, each met or not.
 */
import 'reflect-metadata';
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { Session } from 'node:inspector/promises';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { NextFunction, Request, Response } from 'express';
import { createConnection, createPool, type Pool, type RowDataPacket } from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { createApp } from '../src/app.factory';
import { auditHash, GENESIS_HASH } from '../src/audit/canonical-json';
import { ContextSlot } from '../src/common/async-context';
import { dateIn } from '../src/common/clock';
import { loadConfig } from '../src/config/config';
import { DatabaseService } from '../src/database/database.service';
import { mysqlEndpoint, withDatabase } from '../src/database/mysql-url';
import { SeedService } from '../src/seed/seed.service';
import { openPeer, type PeerRun } from './bench-peer';

const EVENTS_PER_PAIRING = 23;
/** Statements that only open, close or mark a transaction (counted apart in the SQL statement figures). */
const TX_CONTROL = /^\s*(START\s+TRANSACTION|BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE\s+SAVEPOINT|SET\s+TRANSACTION)\b/i;
const HTTP_TIMEOUT_MS = 30_000;
const DRAIN_WAIT_MS = 60_000;
/** How often the backlog is counted while the idle app catches up (one COUNT each time, in the app's CPU figure). */
const BACKLOG_POLL_MS = 20;
const WATCHDOG_MS = Number(process.env.BENCH_TIMEOUT_SECONDS || 600) * 1000;
const DEMO_PASSWORD = 'Demo@2026';
const LIAISON_ID = 7; // the demo member, liaison of branch 4 (立案庭党支部, the demo secretary's branch)
const PARTNER_ID = 4;

// ---------------------------------------------------------------------------------------------------------
// Settings and helpers

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive whole number, not "${raw}"`);
  return value;
}

const N = positiveInt('BENCH_PAIRINGS', 64);
const C = positiveInt('BENCH_CONCURRENCY', 32);
const DB_URL = process.env.BENCH_DATABASE_URL?.trim() || '';
const CPU_PROFILE = process.env.BENCH_CPU_PROFILE?.trim() || '';
const CENSUS_SQL = ['1', 'true', 'yes'].includes((process.env.BENCH_CENSUS_SQL ?? '').toLowerCase());
const CLIENT_IN_PROCESS = (process.env.BENCH_CLIENT ?? '').toLowerCase() === 'inprocess';
const NO_JOBS = ['0', 'off', 'false', 'no'].includes((process.env.BENCH_JOBS ?? '').toLowerCase());

const ms = (value: number) => (value < 10 ? value.toFixed(2) : value.toFixed(1));
const rate = (count: number, seconds: number) => (seconds > 0 ? count / seconds : 0);

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

interface Stats {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? NaN,
    mean: sorted.reduce((s, v) => s + v, 0) / (sorted.length || 1),
  };
}

const statsLine = (s: Stats) => `p50 ${ms(s.p50)} ms · p95 ${ms(s.p95)} ms · p99 ${ms(s.p99)} ms · max ${ms(s.max)} ms`;

/** Runs `count` jobs on `concurrency` workers; each worker takes the next job when its current one ends. */
async function pool(count: number, concurrency: number, job: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await job(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

// ---------------------------------------------------------------------------------------------------------
// CPU time: the bench process (app + in-process client) and, when it runs on this machine, the database
// server. CPU per transition is steadier than wall time on a shared machine.

const CLOCK_TICKS_PER_SECOND = 100;
let dbServerPid: string | null | undefined;

function findDbServerPid(): string | null {
  if (dbServerPid !== undefined) return dbServerPid;
  dbServerPid = null;
  try {
    for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
      try {
        if (['mariadbd', 'mysqld'].includes(readFileSync(`/proc/${pid}/comm`, 'utf8').trim())) return (dbServerPid = pid);
      } catch {
        // the process ended meanwhile
      }
    }
  } catch {
    // no /proc: not Linux
  }
  return dbServerPid;
}

function dbServerCpuMs(): number | null {
  const pid = findDbServerPid();
  if (!pid) return null;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND; // utime + stime
  } catch {
    return null;
  }
}

interface CpuMark {
  self: NodeJS.CpuUsage;
  db: number | null;
}
interface CpuSpent {
  selfMs: number;
  /** The kernel's part of selfMs (socket reads and writes, most of it). */
  sysMs: number;
  dbMs: number | null;
}

const cpuMark = (withDb: boolean): CpuMark => ({ self: process.cpuUsage(), db: withDb ? dbServerCpuMs() : null });

function cpuSince(mark: CpuMark): CpuSpent {
  const used = process.cpuUsage(mark.self);
  const db = mark.db === null ? null : dbServerCpuMs();
  return {
    selfMs: (used.user + used.system) / 1000,
    sysMs: used.system / 1000,
    dbMs: db === null || mark.db === null ? null : db - mark.db,
  };
}

function cpuLine(spent: CpuSpent, transitions: number, what = 'user+sys, incl. the in-process client'): string {
  const per = (value: number) => (value / Math.max(1, transitions)).toFixed(2);
  const db = spent.dbMs === null ? '' : ` · database server ${per(spent.dbMs)} ms`;
  return `CPU per transition: this process ${per(spent.selfMs)} ms (${what}; ${per(spent.sysMs)} of it in the kernel)${db}`;
}

// ---------------------------------------------------------------------------------------------------------
// A lean HTTP client (node:http with keep-alive; the client shares the event loop with the app, so it
// must cost little: event responses are not parsed unless they fail).

interface HttpResult {
  status: number;
  text: string;
}

class Client {
  private readonly agent: http.Agent;

  constructor(private readonly port: number) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets: C + 8 });
  }

  request(method: string, path: string, token: string | null, body?: unknown): Promise<HttpResult> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const headers: http.OutgoingHttpHeaders = { accept: 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    if (payload) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = payload.length;
    }
    return new Promise((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: this.port, method, path, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.setTimeout(HTTP_TIMEOUT_MS, () => req.destroy(new Error(`${method} ${path} timed out after ${HTTP_TIMEOUT_MS} ms`)));
      req.on('error', reject);
      req.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

// ---------------------------------------------------------------------------------------------------------
// Driving the lifecycles: C workers, each one pairing at a time through every step

interface DrivePlan {
  port: number;
  ids: number[];
  steps: Step[];
  tokens: Record<Actor, string>;
}
interface DriveRun {
  samples: Sample[];
  errors: string[];
  /** CPU of the client's own process, when it ran in one (not counted as the app's). */
  clientCpuMs: number | null;
}

async function drive(plan: DrivePlan, client: Client): Promise<Omit<DriveRun, 'clientCpuMs'>> {
  const samples: Sample[] = [];
  const errors: string[] = [];
  await pool(plan.ids.length, C, async (index) => {
    const id = plan.ids[index];
    for (const step of plan.steps) {
      const start = performance.now();
      let res: HttpResult;
      try {
        res = await client.request('POST', `/api/pairings/${id}/events`, plan.tokens[step.actor], step.body);
      } catch (error) {
        errors.push(`pairing ${id} ${step.body.type}: ${(error as Error).message}`);
        return;
      }
      if (res.status !== 200) {
        errors.push(`pairing ${id} ${step.body.type}: ${res.status} ${res.text.slice(0, 300)}`);
        return; // the rest of this pairing's lifecycle cannot follow
      }
      samples.push({ type: step.body.type, ms: performance.now() - start });
    }
  });
  return { samples, errors };
}

/**
 * The load from a child process of its own (BENCH_CLIENT=process, the default): the app's process then does
 * the app's work only, as behind real clients, and its CPU is the app's. The child is started and ready
 * before the clock starts; it reports its samples and its own CPU.
 */
async function driveFromChild(plan: DrivePlan): Promise<{ run: DriveRun; start: () => void; done: Promise<void> }> {
  const child = fork(__filename, [], { env: { ...process.env, BENCH_ROLE: 'client' }, stdio: 'inherit' });
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('error', reject);
  });
  const run: DriveRun = { samples: [], errors: [], clientCpuMs: null };
  const done = new Promise<void>((resolve, reject) => {
    child.once('message', (reply: DriveRun) => {
      Object.assign(run, reply);
      resolve();
    });
    child.once('exit', (code) => reject(new Error(`the bench client exited with ${code} before reporting`)));
  });
  return { run, start: () => child.send(plan), done: done.finally(() => child.kill()) };
}

/** The child's side: say ready, take the plan, drive it, report. */
function clientProcess(): void {
  process.once('message', (plan: DrivePlan) => {
    const client = new Client(plan.port);
    const cpuStart = process.cpuUsage();
    drive(plan, client).then((result) => {
      const cpu = process.cpuUsage(cpuStart);
      client.close();
      process.send!({ ...result, clientCpuMs: (cpu.user + cpu.system) / 1000 } satisfies DriveRun, () => process.exit(0));
    });
  });
  process.send!('ready');
}

// ---------------------------------------------------------------------------------------------------------
// The lifecycle every pairing goes through

type Actor = 'secretary' | 'committee' | 'member';
interface Step {
  actor: Actor;
  body: Record<string, unknown> & { type: string };
}

function lifecycle(year: number): Step[] {
  const steps: Step[] = [
    { actor: 'secretary', body: { type: 'SUBMIT' } },
    { actor: 'committee', body: { type: 'APPROVE', comment: '同意' } },
    {
      actor: 'secretary',
      body: {
        type: 'SIGN_AGREEMENT',
        signedOn: `${year}-01-05`,
        validFrom: `${year}-01-01`,
        validTo: `${year}-12-31`,
        goals: '化解基层矛盾纠纷，提升诉源治理实效',
        content: '联席会议、共建活动日、联合调研、以案释法',
        requirements: '每季度至少一次联席会议和一次共建活动日',
      },
    },
    {
      actor: 'secretary',
      body: {
        type: 'FILE_PLAN',
        startQuarter: 1,
        items: [1, 2, 3, 4].map((quarter) => ({
          title: `第${quarter}季度共建任务`,
          quarter,
          dueDate: `${year}-${String(quarter * 3).padStart(2, '0')}-28`,
          owner: '李立案',
          deliverable: '活动记录与简报',
        })),
      },
    },
    { actor: 'committee', body: { type: 'ACCEPT_PLAN' } },
  ];
  for (const quarter of [1, 2, 3, 4]) {
    const heldOn = (day: number) => `${year}-${String(quarter * 3 - 1).padStart(2, '0')}-${day}`;
    const activity = {
      participants: 12,
      partnerParticipants: 6,
      location: '立案庭会议室',
      summary: '围绕诉源治理开展交流，形成会议纪要。',
    };
    steps.push(
      {
        actor: 'member',
        body: { type: 'RECORD_ACTIVITY', kind: 'joint_meeting', heldOn: heldOn(10), title: `Q${quarter} 联席会议`, ...activity },
      },
      {
        actor: 'member',
        body: { type: 'RECORD_ACTIVITY', kind: 'activity_day', heldOn: heldOn(20), title: `Q${quarter} 共建活动日`, ...activity },
      },
      { actor: 'secretary', body: { type: 'SUBMIT_QUARTER_REPORT', summary: `第${quarter}季度共建工作小结`, planProgress: '按计划推进' } },
      { actor: 'committee', body: { type: 'SCORE_QUARTER', score: 90 + quarter, comment: '完成较好' } },
    );
  }
  steps.push(
    {
      actor: 'secretary',
      body: {
        type: 'SUBMIT_REVIEW',
        summary: '年度共建工作述职',
        problemSolved: true,
        problemResolution: '诉前化解率明显提升',
        outcomes: [{ indicator: '家事纠纷诉前化解率', value: 59.26, unit: '%', baseline: 48.1 }],
      },
    },
    { actor: 'committee', body: { type: 'APPROVE_REVIEW', score: 95, comment: '年度评定' } },
  );
  if (steps.length !== EVENTS_PER_PAIRING) throw new Error(`lifecycle has ${steps.length} steps, expected ${EVENTS_PER_PAIRING}`);
  return steps;
}

const createBody = (year: number, index: number) => ({
  year,
  title: `压测结对 ${index + 1}`,
  theme: '基层诉源治理',
  problem: '家事纠纷诉前化解率偏低',
  goals: '提升诉前化解率',
  partnerIds: [PARTNER_ID],
  categories: ['project'],
  liaisonUserId: LIAISON_ID,
});

// ---------------------------------------------------------------------------------------------------------
// Databases

interface BenchDatabase {
  engine: 'sqlite' | 'mysql';
  appUrl: string;
  label: string;
  sqlitePath?: string;
  drop(): Promise<void>;
}

async function freshDatabase(): Promise<BenchDatabase> {
  if (!DB_URL || DB_URL.startsWith('sqlite:')) {
    const dir = mkdtempSync(join(tmpdir(), 'gongjian-bench-'));
    const path = join(dir, 'bench.sqlite');
    return {
      engine: 'sqlite',
      appUrl: `sqlite:${path}`,
      label: `SQLite (temp file ${path})`,
      sqlitePath: path,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  if (!/^(mysql|mariadb):\/\//.test(DB_URL)) throw new Error('BENCH_DATABASE_URL must be a mysql:// server URL or unset (SQLite)');
  const server = new URL(DB_URL.replace(/^mariadb:/, 'mysql:'));
  if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(server.hostname)) {
    throw new Error(`BENCH_DATABASE_URL must point at this machine (127.0.0.1), not ${server.hostname}`);
  }
  const connect = () => createConnection(mysqlEndpoint(DB_URL));
  const name = `gj_bench_${randomBytes(4).toString('hex')}`;
  const admin = await connect();
  const [[version]] = await admin.query<RowDataPacket[]>('SELECT VERSION() AS v');
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.end();
  const socket = mysqlEndpoint(DB_URL).socketPath;
  return {
    engine: 'mysql',
    appUrl: withDatabase(DB_URL.replace(/^mariadb:/, 'mysql:'), name),
    label: `MySQL/MariaDB ${version.v} at ${socket ? `its socket ${socket}` : server.host}, database ${name}`,
    drop: async () => {
      const conn = await connect();
      await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await conn.end();
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// CPU profile of one phase (the same format as node --cpu-prof; open it in Chrome DevTools)

async function startProfiler(): Promise<Session> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  return session;
}

async function stopProfiler(session: Session, file: string): Promise<void> {
  const { profile } = await session.post('Profiler.stop');
  writeFileSync(file, JSON.stringify(profile));
  session.disconnect();
  console.log(`cpu profile of the lifecycle phase written to ${file}`);
}

// ---------------------------------------------------------------------------------------------------------
// The app under load

interface Sample {
  type: string;
  ms: number;
}

interface AppRun {
  createSeconds: number;
  createLatencies: number[];
  seconds: number;
  cpu: CpuSpent;
  /** The load-generating client's CPU when it ran in a process of its own (BENCH_CLIENT=process). */
  clientCpuMs: number | null;
  samples: Sample[];
  errors: string[];
  pairingIds: number[];
  /** SQL statements during the lifecycle: in requests (and how many of those were transaction control), in background jobs. */
  queriesDuringLifecycle: { request: number; requestTxControl: number; background: number };
  steps: Step[];
  outboxBacklog: number | null;
  outboxDrain: { seconds: number; left: number | null };
  /** The app's CPU from the first transition until its outbox was drained (or the wait for it ended). */
  cpuWithJobs: CpuSpent;
  census: { type: string; queries: string[]; ms: number }[];
}

async function runApp(db: BenchDatabase, dataDir: string): Promise<AppRun> {
  const config = loadConfig({
    NODE_ENV: 'production',
    DATABASE_URL: db.appUrl,
    DATA_DIR: dataDir,
    JWT_SECRET: randomBytes(24).toString('hex'),
    ADMIN_USERNAME: 'admin',
    ADMIN_PASSWORD: 'Admin@2026',
    SEED_DEMO: 'true',
    LOG_LEVEL: 'silent',
    // The request path alone, without the in-process jobs (outbox, notifications) beside it.
    ...(NO_JOBS ? { JOB_POLL_MS: '0', DEADLINE_SWEEP_MS: '0' } : {}),
    APP_TIMEZONE: 'Asia/Shanghai',
  });
  const setupStart = performance.now();
  const app = await createApp(config);
  // Marks the work done on behalf of an HTTP request, to tell it from background jobs (outbox, notifications); a
  // slot of the app's own async context, since a storage of its own would cost the app a step on every promise.
  const requestScope = new ContextSlot<true>('bench request');
  app.use((_req: Request, _res: Response, next: NextFunction) => requestScope.run(true, next));
  await app.listen(0, '127.0.0.1');
  await app.get(SeedService).seedIfEmpty();
  const port = (app.getHttpServer().address() as AddressInfo).port;
  const client = new Client(port);

  // Count every SQL statement the app sends (TypeORM logs each one through this, whatever `logging` says):
  // those of HTTP requests apart from those of the in-process background jobs.
  const dataSource = app.get(DataSource);
  const queries = { request: 0, requestTxControl: 0, background: 0 };
  let census: string[] | null = null;
  const logger = dataSource.logger;
  const logQuery = logger.logQuery.bind(logger);
  logger.logQuery = (query, parameters, runner) => {
    if (requestScope.get()) {
      queries.request++;
      if (TX_CONTROL.test(query)) queries.requestTxControl++;
      census?.push(query);
    } else queries.background++;
    return logQuery(query, parameters, runner);
  };

  try {
    const tokens = {} as Record<Actor, string>;
    for (const username of ['secretary', 'committee', 'member'] as const) {
      const res = await client.request('POST', '/api/auth/login', null, { username, password: DEMO_PASSWORD });
      if (res.status !== 200) throw new Error(`sign-in of ${username} failed: ${res.status} ${res.text}`);
      tokens[username] = (JSON.parse(res.text) as { accessToken: string }).accessToken;
    }
    console.log(
      `setup: app started, migrated, seeded and signed in (3 bcrypt sign-ins) in ${(performance.now() - setupStart).toFixed(0)} ms`,
    );

    const year = Number(dateIn(config.timezone, new Date()).slice(0, 4)) - 1;
    const steps = lifecycle(year);
    const create = async (index: number): Promise<number> => {
      const res = await client.request('POST', '/api/pairings', tokens.secretary, createBody(year, index));
      if (res.status !== 201) throw new Error(`create failed: ${res.status} ${res.text.slice(0, 300)}`);
      return (JSON.parse(res.text) as { id: number }).id;
    };
    const send = (id: number, step: Step) => client.request('POST', `/api/pairings/${id}/events`, tokens[step.actor], step.body);

    // Phase 1: create the pairings (measured apart from the transitions).
    const pairingIds: number[] = [];
    const createLatencies: number[] = [];
    const errors: string[] = [];
    let t0 = performance.now();
    await pool(N, C, async (index) => {
      const start = performance.now();
      try {
        pairingIds[index] = await create(index);
        createLatencies.push(performance.now() - start);
      } catch (error) {
        errors.push(`create #${index}: ${(error as Error).message}`);
      }
    });
    const createSeconds = (performance.now() - t0) / 1000;

    // Phase 2: drive every pairing through its lifecycle; C workers, each one pairing at a time.
    const ids = pairingIds.filter((id) => id !== undefined);
    const plan: DrivePlan = { port, ids, steps, tokens };
    const child = CLIENT_IN_PROCESS ? null : await driveFromChild(plan);
    const queriesBefore = { ...queries };
    const profiler = CPU_PROFILE ? await startProfiler() : null;
    const cpuStart = cpuMark(db.engine === 'mysql');
    t0 = performance.now();
    let driven: DriveRun;
    if (child) {
      child.start();
      await child.done;
      driven = child.run;
    } else driven = { ...(await drive(plan, client)), clientCpuMs: null };
    const { samples, clientCpuMs } = driven;
    errors.push(...driven.errors);
    const seconds = (performance.now() - t0) / 1000;
    const cpu = cpuSince(cpuStart);
    if (profiler) await stopProfiler(profiler, CPU_PROFILE);
    const queriesDuringLifecycle = {
      request: queries.request - queriesBefore.request,
      requestTxControl: queries.requestTxControl - queriesBefore.requestTxControl,
      background: queries.background - queriesBefore.background,
    };
    // The side effects (outbox → notifications) run in-process behind the transitions: how far behind, and
    // how long the idle app then takes to catch up (bounded).
    const backlog = () =>
      app
        .get(DatabaseService)
        .read((m) => m.query('SELECT COUNT(*) AS n FROM outbox WHERE done_at IS NULL'))
        .then((rows: { n: number | string }[]) => Number(rows[0].n))
        .catch(() => null);
    const outboxBacklog = await backlog();
    const drainStart = performance.now();
    let outboxLeft = outboxBacklog;
    while (outboxLeft && performance.now() - drainStart < DRAIN_WAIT_MS) {
      await new Promise((resolve) => setTimeout(resolve, BACKLOG_POLL_MS));
      outboxLeft = await backlog();
    }
    const outboxDrain = { seconds: (performance.now() - drainStart) / 1000, left: outboxLeft };
    const cpuWithJobs = cpuSince(cpuStart);

    // Phase 3: query census — one more pairing driven alone, counting the statements of each request.
    const censusRows: AppRun['census'] = [];
    const measure = async (type: string, work: () => Promise<HttpResult>, ok: number) => {
      census = [];
      const start = performance.now();
      const res = await work();
      const elapsed = performance.now() - start;
      const queries = census;
      census = null;
      if (res.status !== ok) throw new Error(`census ${type}: ${res.status} ${res.text.slice(0, 300)}`);
      censusRows.push({ type, queries, ms: elapsed });
      return res;
    };
    try {
      let censusId = 0;
      await measure(
        'CREATE',
        async () => {
          const res = await client.request('POST', '/api/pairings', tokens.secretary, createBody(year, N));
          if (res.status === 201) censusId = (JSON.parse(res.text) as { id: number }).id;
          return res;
        },
        201,
      );
      for (const step of steps) await measure(step.body.type, () => send(censusId, step), 200);
    } catch (error) {
      errors.push((error as Error).message);
    }

    return {
      createSeconds,
      createLatencies,
      seconds,
      cpu,
      clientCpuMs,
      samples,
      errors,
      pairingIds: ids,
      queriesDuringLifecycle,
      steps,
      outboxBacklog,
      outboxDrain,
      cpuWithJobs,
      census: censusRows,
    };
  } finally {
    logger.logQuery = logQuery;
    client.close();
    await app.close();
  }
}

// ---------------------------------------------------------------------------------------------------------
// The raw floor: the same writes per transition, straight to the database

interface FloorRun {
  seconds: number;
  cpu: CpuSpent;
  latencies: number[];
  transitions: number;
}

const floorPayload = (i: number) => ({ bench: true, n: i, comment: null });

/**
 * The floor does what every transition of the app does, with nothing else: lock the pairing row, write the
 * event's own row (an activity, the commonest event), one audit event chained on the head kept on the pairing
 * row, the pairing row (version, snapshot, head), one outbox row.
 */
const FLOOR_OWN_ROW_SQL =
  'INSERT INTO `activity` (`pairing_id`, `quarter`, `kind`, `held_on`, `title`, `location`, `participants`, `partner_participants`, ' +
  '`summary`, `attachment_ids`, `voided`, `recorded_by`, `created_at`) VALUES (?, 1, ?, ?, ?, ?, 12, 6, ?, ?, 0, 2, ?)';
const floorOwnRow = (pairingId: number, now: string) => [
  pairingId,
  'joint_meeting',
  '2025-02-10',
  '联席会议',
  '立案庭会议室',
  '围绕诉源治理开展交流，形成会议纪要。',
  '[]',
  now,
];

async function floorMysql(db: BenchDatabase, pairingIds: number[]): Promise<FloorRun> {
  const mysql: Pool = createPool({
    ...mysqlEndpoint(db.appUrl),
    connectionLimit: C,
    charset: 'utf8mb4_unicode_ci',
    timezone: 'Z',
    supportBigNumbers: true,
  });
  const latencies: number[] = [];
  let counter = 0;
  const transition = async (id: number) => {
    const start = performance.now();
    const conn = await mysql.getConnection();
    try {
      await conn.query('START TRANSACTION');
      const [rows] = await conn.query<RowDataPacket[]>('SELECT * FROM `pairing` WHERE `id` = ? FOR UPDATE', [id]);
      const pairing = rows[0];
      const now = new Date().toISOString();
      await conn.query(FLOOR_OWN_ROW_SQL, floorOwnRow(id, now));
      const chain = `pairing:${id}`;
      const seq = Number(pairing.version) + 1;
      const fields = {
        chain,
        seq,
        at: now,
        actorId: '2',
        type: 'BENCH',
        fromState: pairing.state as string,
        toState: pairing.state as string,
        payload: floorPayload(counter++),
        comment: null,
        prevHash: (pairing.chain_hash as string) || GENESIS_HASH,
      };
      const hash = auditHash(fields);
      await conn.query(
        'INSERT INTO `audit_event` (`chain`, `seq`, `at`, `actor_id`, `type`, `from_state`, `to_state`, `payload`, `comment`, `prev_hash`, `hash`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        [
          chain,
          fields.seq,
          now,
          fields.actorId,
          fields.type,
          fields.fromState,
          fields.toState,
          JSON.stringify(fields.payload),
          null,
          fields.prevHash,
          hash,
        ],
      );
      await conn.query('UPDATE `pairing` SET `version` = ?, `snapshot` = ?, `chain_hash` = ?, `updated_at` = ? WHERE `id` = ?', [
        seq,
        pairing.snapshot,
        hash,
        now,
        id,
      ]);
      await conn.query(
        'INSERT INTO `outbox` (`queue`, `kind`, `payload`, `created_at`, `available_at`, `attempts`) VALUES (?, ?, ?, ?, ?, 0)',
        ['notifications', 'pairing.event', JSON.stringify({ pairingId: id, seq: fields.seq }), now, now],
      );
      await conn.query('COMMIT');
    } catch (error) {
      await conn.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      conn.release();
    }
    latencies.push(performance.now() - start);
  };
  try {
    const cpuStart = cpuMark(db.engine === 'mysql');
    const t0 = performance.now();
    await pool(pairingIds.length, C, async (index) => {
      for (let i = 0; i < EVENTS_PER_PAIRING; i++) await transition(pairingIds[index]);
    });
    const seconds = (performance.now() - t0) / 1000;
    return { seconds, cpu: cpuSince(cpuStart), latencies, transitions: latencies.length };
  } finally {
    await mysql.end();
  }
}

/** The slice of better-sqlite3's API used here (the package ships no types in this project). */
interface SqliteStatement {
  get(...params: unknown[]): Record<string, unknown> | undefined;
  run(...params: unknown[]): unknown;
}
interface SqliteDatabase {
  pragma(sql: string): unknown;
  prepare(sql: string): SqliteStatement;
  transaction<A extends unknown[]>(fn: (...args: A) => void): (...args: A) => void;
  close(): void;
}

async function floorSqlite(db: BenchDatabase, pairingIds: number[]): Promise<FloorRun> {
  const Database = createRequire(__filename)('better-sqlite3') as new (path: string) => SqliteDatabase;
  const sqlite = new Database(db.sqlitePath!);
  // The app's pragmas (data-source.ts): WAL, synchronous NORMAL, foreign keys on.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  const selectPairing = sqlite.prepare('SELECT * FROM "pairing" WHERE "id" = ?');
  const updatePairing = sqlite.prepare(
    'UPDATE "pairing" SET "version" = ?, "snapshot" = ?, "chain_hash" = ?, "updated_at" = ? WHERE "id" = ?',
  );
  const insertOwnRow = sqlite.prepare(FLOOR_OWN_ROW_SQL);
  const insertEvent = sqlite.prepare(
    'INSERT INTO "audit_event" ("chain", "seq", "at", "actor_id", "type", "from_state", "to_state", "payload", "comment", "prev_hash", "hash") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insertOutbox = sqlite.prepare(
    'INSERT INTO "outbox" ("queue", "kind", "payload", "created_at", "available_at", "attempts") VALUES (?, ?, ?, ?, ?, 0)',
  );
  let counter = 0;
  const transition = sqlite.transaction((id: number) => {
    const pairing = selectPairing.get(id)!;
    const now = new Date().toISOString();
    insertOwnRow.run(...floorOwnRow(id, now));
    const chain = `pairing:${id}`;
    const seq = Number(pairing.version) + 1;
    const fields = {
      chain,
      seq,
      at: now,
      actorId: '2',
      type: 'BENCH',
      fromState: pairing.state as string,
      toState: pairing.state as string,
      payload: floorPayload(counter++),
      comment: null,
      prevHash: (pairing.chain_hash as string) || GENESIS_HASH,
    };
    const hash = auditHash(fields);
    insertEvent.run(
      chain,
      fields.seq,
      now,
      fields.actorId,
      fields.type,
      fields.fromState,
      fields.toState,
      JSON.stringify(fields.payload),
      null,
      fields.prevHash,
      hash,
    );
    updatePairing.run(seq, pairing.snapshot, hash, now, id);
    insertOutbox.run('notifications', 'pairing.event', JSON.stringify({ pairingId: id, seq: fields.seq }), now, now);
  });
  const latencies: number[] = [];
  try {
    const cpuStart = cpuMark(db.engine === 'mysql');
    const t0 = performance.now();
    // The same C workers; each synchronous transaction runs whole, and workers interleave between them.
    await pool(pairingIds.length, C, async (index) => {
      for (let i = 0; i < EVENTS_PER_PAIRING; i++) {
        const start = performance.now();
        transition(pairingIds[index]);
        latencies.push(performance.now() - start);
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    });
    const seconds = (performance.now() - t0) / 1000;
    return { seconds, cpu: cpuSince(cpuStart), latencies, transitions: latencies.length };
  } finally {
    sqlite.close();
  }
}

// ---------------------------------------------------------------------------------------------------------
// Report

function printApp(run: AppRun): number {
  const perTransition = (count: number) => (count / Math.max(1, run.samples.length)).toFixed(1);
  const lifecycleStats = stats(run.samples.map((s) => s.ms));
  const createStats = stats(run.createLatencies);
  console.log(
    `create: ${run.createLatencies.length} pairings in ${run.createSeconds.toFixed(2)} s → ${rate(run.createLatencies.length, run.createSeconds).toFixed(1)}/s · ${statsLine(createStats)}`,
  );
  const tps = rate(run.samples.length, run.seconds);
  console.log(
    `APP lifecycle: ${run.samples.length} transitions (${run.pairingIds.length} pairings × ${EVENTS_PER_PAIRING}) in ${run.seconds.toFixed(2)} s → ${tps.toFixed(1)} transitions/s`,
  );
  console.log(`  latency: ${statsLine(lifecycleStats)} · mean ${ms(lifecycleStats.mean)} ms`);
  const clientCpu =
    run.clientCpuMs === null
      ? ''
      : ` · the client's own process ${(run.clientCpuMs / Math.max(1, run.samples.length)).toFixed(2)} ms (not counted)`;
  console.log(
    `  ${cpuLine(run.cpu, run.samples.length, run.clientCpuMs === null ? undefined : 'user+sys, the app and its in-process jobs')}${clientCpu}`,
  );
  console.log(
    `  SQL statements per transition: ${perTransition(run.queriesDuringLifecycle.request)} in the request (incl. the auth guard's user read; ${perTransition(run.queriesDuringLifecycle.request - run.queriesDuringLifecycle.requestTxControl)} without transaction control statements) + ${perTransition(run.queriesDuringLifecycle.background)} in in-process background jobs (outbox dispatch, notifications)`,
  );
  const drained = run.outboxDrain.left === 0;
  console.log(
    `  outbox: ${run.outboxBacklog ?? '?'} rows not yet dispatched when the last transition returned; the idle app then ${drained ? 'dispatched them' : `left ${run.outboxDrain.left ?? '?'} undispatched`} in ${run.outboxDrain.seconds.toFixed(1)} s`,
  );
  if (drained) {
    // The figure above stops the clock at the last response; the work a transition causes ends with its notices.
    const total = run.seconds + run.outboxDrain.seconds;
    console.log(
      `  with its jobs: the ${run.samples.length} transitions and every outbox row they wrote done in ${total.toFixed(2)} s → ${rate(run.samples.length, total).toFixed(1)} transitions/s (the backlog polled every ${BACKLOG_POLL_MS} ms) · ${cpuLine(run.cpuWithJobs, run.samples.length, 'user+sys')}`,
    );
  }

  console.log('  per event type (under load)          n     p50      p95      p99   │ alone: SQL  ms');
  const byType = new Map<string, number[]>();
  for (const s of run.samples) byType.set(s.type, [...(byType.get(s.type) ?? []), s.ms]);
  const censusByType = new Map<string, { queries: number; ms: number; count: number }>();
  for (const row of run.census) {
    const entry = censusByType.get(row.type) ?? { queries: 0, ms: 0, count: 0 };
    censusByType.set(row.type, { queries: entry.queries + row.queries.length, ms: entry.ms + row.ms, count: entry.count + 1 });
  }
  for (const [type, values] of byType) {
    const s = stats(values);
    const alone = censusByType.get(type);
    const aloneText = alone ? `${(alone.queries / alone.count).toFixed(0).padStart(10)} ${ms(alone.ms / alone.count).padStart(5)}` : '';
    console.log(
      `    ${type.padEnd(24)} ${String(s.n).padStart(6)} ${ms(s.p50).padStart(8)} ${ms(s.p95).padStart(8)} ${ms(s.p99).padStart(8)}   │${aloneText}`,
    );
  }
  const create = censusByType.get('CREATE');
  if (create)
    console.log(
      `    ${'(CREATE, alone)'.padEnd(24)} ${''.padStart(33)}   │${String(create.queries).padStart(10)} ${ms(create.ms).padStart(5)}`,
    );
  const events = run.census.filter((r) => r.type !== 'CREATE');
  if (events.length) {
    const total = events.reduce((s, r) => s + r.queries.length, 0);
    const kinds = new Map<string, number>();
    for (const row of events)
      for (const q of row.queries) {
        const kind = (/^\s*(\w+)/.exec(q)?.[1] ?? '?').toUpperCase();
        kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
      }
    const breakdown = [...kinds].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${(n / events.length).toFixed(1)}`);
    const aloneMs = events.reduce((s, r) => s + r.ms, 0) / events.length;
    console.log(
      `  census, one pairing driven alone: ${(total / events.length).toFixed(1)} SQL statements per transition (${breakdown.join(', ')}); mean ${ms(aloneMs)} ms per transition unloaded`,
    );
  }
  if (CENSUS_SQL) {
    for (const row of run.census) {
      console.log(`  --- ${row.type}: ${row.queries.length} statements, ${ms(row.ms)} ms`);
      for (const q of row.queries) console.log(`      ${q.replace(/\s+/g, ' ').slice(0, 220)}`);
    }
  }
  if (run.errors.length) {
    console.log(`  ERRORS: ${run.errors.length}; first ones:`);
    for (const e of run.errors.slice(0, 5)) console.log(`    ${e}`);
  }
  return tps;
}

function printPeer(how: string, setupSeconds: number, run: PeerRun, cpu: CpuSpent): number {
  const tps = rate(run.transitions, run.seconds);
  const per = (count: number) => (count / Math.max(1, run.transitions)).toFixed(1);
  console.log(`PEER (${how}):`);
  console.log(`  setup: the process instances started and stored in ${setupSeconds.toFixed(2)} s (not measured below)`);
  console.log(
    `  ${run.transitions} transitions in ${run.seconds.toFixed(2)} s → ${tps.toFixed(1)} transitions/s · ${statsLine(stats(run.latencies))}`,
  );
  console.log(`  ${cpuLine(cpu, run.transitions, 'user+sys')}`);
  console.log(
    `  SQL statements per transition: ${per(run.statements.all)} (${per(run.statements.all - run.statements.txControl)} without transaction control statements) · state JSON written per transition: ${(run.stateChars / 1000).toFixed(1)} k characters`,
  );
  if (run.errors.length) {
    console.log(`  ERRORS: ${run.errors.length} (the peer's figures do not stand); first ones:`);
    for (const e of run.errors.slice(0, 5)) console.log(`    ${e}`);
  }
  return tps;
}

/** The figures against the targets, each said met or not: one run's measurement, never an assertion. */
function printResult(engine: BenchDatabase['engine'], app: AppRun, appTps: number, floorTps: number, peerTps: number): void {
  const transitions = Math.max(1, app.samples.length);
  const judged: boolean[] = [];
  const judge = (ok: boolean) => {
    judged.push(ok);
    return ok ? 'met' : 'NOT met';
  };
  const mysql = engine === 'mysql';
  const peerRatio = peerTps > 0 ? appTps / peerTps : NaN;
  const floorRatio = floorTps > 0 ? appTps / floorTps : NaN;
  const floorTarget = mysql ? 0.2 : 0.1;
  const p99 = stats(app.samples.map((s) => s.ms)).p99;
  const errors = app.errors.length;
  const ratios = [
    `app/peer = ${peerRatio.toFixed(2)} (target ≥ 6: ${judge(peerRatio >= 6)})`,
    `app/floor = ${floorRatio.toFixed(3)} (target ≥ ${floorTarget}: ${judge(floorRatio >= floorTarget)})`,
    mysql ? `app p99 ${ms(p99)} ms at C=${C} (target ≤ 150 ms: ${judge(p99 <= 150)})` : `app p99 ${ms(p99)} ms at C=${C}`,
    mysql ? `errors ${errors} (target 0: ${judge(errors === 0)})` : `errors ${errors}`,
  ];
  console.log(`RESULT ${ratios.join(' · ')}`);
  const { request, requestTxControl } = app.queriesDuringLifecycle;
  const sql = request / transitions;
  console.log(
    `RESULT SQL statements per transition in the request, the auth guard's user read included: ${sql.toFixed(1)} as counted (every statement TypeORM logs, START TRANSACTION/BEGIN and COMMIT included; target ≤ 8: ${judge(sql <= 8)}) · ${((request - requestTxControl) / transitions).toFixed(1)} without transaction control statements`,
  );
  const cpu = app.cpu.selfMs / transitions;
  console.log(
    `RESULT Node CPU per transition: ${cpu.toFixed(2)} ms (the app's process: the app and its in-process jobs${app.clientCpuMs === null ? ', and the in-process HTTP client' : ''}; target ≤ 1.5 ms: ${judge(cpu <= 1.5)})`,
  );
  console.log(
    `RESULT ${judged.filter(Boolean).length} of ${judged.length} targets met on ${mysql ? 'MySQL/MariaDB' : 'SQLite'} — one run on a shared machine; figures vary between runs`,
  );
}

async function main(): Promise<void> {
  const watchdog = setTimeout(() => {
    console.error(`bench: still running after ${WATCHDOG_MS / 1000} s; giving up`);
    process.exit(2);
  }, WATCHDOG_MS);
  watchdog.unref();

  const cpu = cpus();
  console.log(`Gongjian bench — N=${N} pairings, C=${C} workers · node ${process.version} · ${cpu.length} CPU(s): ${cpu[0]?.model ?? '?'}`);
  const db = await freshDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'gongjian-bench-data-'));
  console.log(`database: ${db.label}`);
  console.log(
    `load average at start: ${loadavg()
      .map((v) => v.toFixed(2))
      .join(' ')} (other work on this machine skews wall-clock figures)`,
  );
  try {
    const app = await runApp(db, dataDir);
    const appTps = printApp(app);

    const floor = db.engine === 'mysql' ? await floorMysql(db, app.pairingIds) : await floorSqlite(db, app.pairingIds);
    const floorTps = rate(floor.transitions, floor.seconds);
    const how =
      db.engine === 'mysql'
        ? `mysql2 pool of ${C}, START TRANSACTION; SELECT … FOR UPDATE; INSERT activity, audit_event; UPDATE pairing; INSERT outbox; COMMIT`
        : 'better-sqlite3, one connection, synchronous transactions, same statements';
    console.log(`FLOOR (${how}):`);
    console.log(
      `  ${floor.transitions} transitions in ${floor.seconds.toFixed(2)} s → ${floorTps.toFixed(1)} transitions/s · ${statsLine(stats(floor.latencies))}`,
    );
    console.log(`  ${cpuLine(floor.cpu, floor.transitions)}`);

    const peer = await openPeer(db, N, app.steps, C);
    let peerRun: PeerRun;
    let peerCpu: CpuSpent;
    try {
      const cpuStart = cpuMark(db.engine === 'mysql');
      peerRun = await peer.drive();
      peerCpu = cpuSince(cpuStart);
    } finally {
      await peer.close();
    }
    const peerTps = printPeer(peer.how, peer.setupSeconds, peerRun, peerCpu);

    printResult(db.engine, app, appTps, floorTps, peerTps);
  } finally {
    await db.drop().catch((error: Error) => console.error(`bench: could not drop the bench database: ${error.message}`));
    rmSync(dataDir, { recursive: true, force: true });
    clearTimeout(watchdog);
  }
}

if (process.env.BENCH_ROLE === 'client') clientProcess();
else
  main().then(
    () => process.exit(0),
    (error: Error) => {
      console.error(`bench crashed: ${error.stack ?? error.message}`);
      process.exit(1);
    },
  );
