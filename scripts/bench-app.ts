/**
 * What bench-audit.ts and bench-dossier.ts share: the built app in a child process of its own (so the
 * bench's own work never competes with the server's event loop) on a fresh database, sign-ins, a health
 * probe that measures how long the server keeps other requests waiting, and the server's memory.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createConnection, type Connection } from 'mysql2/promise';
import { mysqlEndpoint, withDatabase } from '../src/database/mysql-url';

export const ROOT = resolve(__dirname, '..', '..');
export const DEMO_PASSWORD = 'Demo@2026';

export function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive whole number, not "${raw}"`);
  return value;
}

export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

const freePort = () =>
  new Promise<number>((done) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => done(port));
    });
  });

/** The slice of better-sqlite3 the benches use to write rows straight into the app's file. */
export interface SqliteDatabase {
  prepare(sql: string): { run(...params: unknown[]): unknown; get(...params: unknown[]): unknown };
  exec(sql: string): void;
  pragma(sql: string): unknown;
  transaction<T>(fn: () => T): () => T;
  close(): void;
}

/** A connection of the bench's own to the app's database, for writing rows faster than the API could. */
export interface RawDatabase {
  engine: 'sqlite' | 'mysql';
  run(sql: string, params: unknown[]): Promise<void>;
  get<T>(sql: string, params?: unknown[]): Promise<T>;
  close(): Promise<void>;
}

export interface BenchApp {
  base: string;
  pid: number;
  engine: 'sqlite' | 'mysql';
  raw: RawDatabase;
  token(username: string): Promise<string>;
  /** The server's resident set size now, and its peak (VmHWM), in MB. */
  memory(): { rssMb: number; peakMb: number };
  stop(): Promise<void>;
}

/**
 * Starts dist/src/main.js (npm run build:api first) on a fresh database: a temp SQLite file, or a new
 * database on the MySQL server of BENCH_DATABASE_URL, dropped at the end.
 */
export async function startApp(extraEnv: Record<string, string> = {}): Promise<BenchApp> {
  const url = process.env.BENCH_DATABASE_URL?.trim() || '';
  const dataDir = mkdtempSync(join(tmpdir(), 'gongjian-bench-'));
  let databaseUrl = `sqlite:${join(dataDir, 'bench.sqlite')}`;
  let dropDatabase = async () => undefined;
  let mysql: Connection | null = null;
  if (url) {
    const name = `gj_bench_${randomBytes(4).toString('hex')}`;
    const admin = () => createConnection(mysqlEndpoint(url));
    const conn = await admin();
    await conn.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await conn.end();
    databaseUrl = withDatabase(url.replace(/^mariadb:/, 'mysql:'), name);
    dropDatabase = async () => {
      const c = await admin();
      await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await c.end();
    };
    mysql = await createConnection({ ...mysqlEndpoint(databaseUrl), multipleStatements: false });
  }
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [join(ROOT, 'dist', 'src', 'main.js')], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'development',
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      DATA_DIR: dataDir,
      REDIS_URL: '',
      SEED_DEMO: 'true',
      SEED_DEMO_PAIRINGS: 'false',
      LOG_LEVEL: 'warn',
      JOB_POLL_MS: '0',
      DEADLINE_SWEEP_MS: '0',
      ...extraEnv,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/api/health`)).ok) break;
    } catch {
      // not up yet
    }
    if (i > 240) throw new Error('the app did not start within 120 s');
    await new Promise((r) => setTimeout(r, 500));
  }
  let raw: RawDatabase;
  if (mysql) {
    const conn = mysql;
    raw = {
      engine: 'mysql',
      run: async (sql, params) => void (await conn.query(sql, params)),
      get: async <T>(sql: string, params: unknown[] = []) => ((await conn.query(sql, params))[0] as T[])[0],
      close: () => conn.end(),
    };
  } else {
    const Database = createRequire(__filename)('better-sqlite3') as new (path: string) => SqliteDatabase;
    const db = new Database(join(dataDir, 'bench.sqlite'));
    db.pragma('busy_timeout = 30000');
    raw = {
      engine: 'sqlite',
      run: async (sql, params) => void db.prepare(sql).run(...params),
      get: async <T>(sql: string, params: unknown[] = []) => db.prepare(sql).get(...params) as T,
      close: async () => db.close(),
    };
  }
  const tokens = new Map<string, string>();
  return {
    base,
    pid: child.pid!,
    engine: raw.engine,
    raw,
    async token(username) {
      if (!tokens.has(username)) {
        const password = username === 'admin' ? 'Admin@2026' : DEMO_PASSWORD;
        const res = await fetch(`${base}/api/auth/login`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ username, password }),
        });
        if (!res.ok) throw new Error(`signing in ${username}: ${res.status}`);
        tokens.set(username, ((await res.json()) as { accessToken: string }).accessToken);
      }
      return tokens.get(username)!;
    },
    memory() {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
      return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
    },
    async stop() {
      await raw.close();
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      await dropDatabase();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface ProbeResult {
  requests: number;
  p50: number;
  p99: number;
  max: number;
  failures: number;
}

/**
 * GET /api/health every `everyMs` while `work` runs, one at a time: how long the server keeps another
 * request waiting during a long read. Also samples the server's RSS.
 */
export async function whileProbing<T>(app: BenchApp, work: () => Promise<T>, everyMs = 50) {
  const latencies: number[] = [];
  let failures = 0;
  let running = true;
  let peakRssMb = app.memory().rssMb;
  const probe = (async () => {
    while (running) {
      const t0 = performance.now();
      try {
        const res = await fetch(`${app.base}/api/health`);
        await res.arrayBuffer();
        if (!res.ok) failures++;
      } catch {
        failures++;
      }
      latencies.push(performance.now() - t0);
      peakRssMb = Math.max(peakRssMb, app.memory().rssMb);
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  const t0 = performance.now();
  const result = await work();
  const seconds = (performance.now() - t0) / 1000;
  running = false;
  await probe;
  const health: ProbeResult = {
    requests: latencies.length,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: Math.max(...latencies),
    failures,
  };
  return { result, seconds, health, peakRssMb };
}

export const healthLine = (h: ProbeResult) =>
  `health during it: ${h.requests} probes, p50 ${h.p50.toFixed(1)} ms · p99 ${h.p99.toFixed(1)} ms · max ${h.max.toFixed(1)} ms${h.failures ? ` · ${h.failures} failed` : ''}`;

/** Reads a response body to the end without keeping it: bytes and the time to the last one. */
export async function drain(res: Response): Promise<number> {
  if (!res.body) return 0;
  let bytes = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return bytes;
    bytes += value.byteLength;
  }
}

/**
 * fetch, tried once more when the server had closed the pooled keep-alive socket it was sent on (after a
 * long idle spell, such as writing a million rows). Only for requests that change nothing.
 */
export async function fetchAgain(url: string, init?: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (error) {
    // undici says "fetch failed" for a socket closed under it (other side closed, EPIPE, ECONNRESET).
    if (!(error instanceof TypeError) || error.message !== 'fetch failed') throw error;
    return fetch(url, init);
  }
}
