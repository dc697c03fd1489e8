/**
 * Fault experiment for delivery after commit — a measurement, not a test: it prints what was lost or doubled.
 *
 *   npm run fault:jobs
 *   FAULT_DATABASE_URL=mysql://root@127.0.0.1:3306 FAULT_PAIRINGS=40 FAULT_OUTAGE_SECONDS=20 npm run fault:jobs
 *
 * FAULT_DATABASE_URL    a MariaDB/MySQL server (default mysql://root@127.0.0.1:3306); a fresh database
 *                       gj_fault_<random> is created on it and dropped at the end
 * FAULT_PAIRINGS        pairings driven (default 40), each through SUBMIT, APPROVE, SIGN_AGREEMENT, FILE_PLAN,
 *                       ACCEPT_PLAN
 * FAULT_CONCURRENCY     concurrent clients (default 8)
 * FAULT_OUTAGE_SECONDS  how long the database is gone (default 20)
 * FAULT_SETTLE_SECONDS  how long to wait afterwards for every outbox row to be done (default 600)
 * REDIS_SERVER          the redis-server binary (default /usr/bin/redis-server)
 *
 * It starts a redis-server of its own on a free loopback port (so FLUSHALL touches nothing shared), a TCP
 * proxy in front of the database server, and the app in this process as API and worker (PROCESS_ROLE=all,
 * Bull on that Redis, the outbox polled every 100 ms). One pairing is driven and settled first, with no
 * fault, to learn which notifications each step makes. Then the clients drive every pairing over HTTP, and
 * after a third of the transitions Redis is flushed (every queued job lost), after two thirds the database
 * goes away (the proxy cuts every connection and refuses new ones) for FAULT_OUTAGE_SECONDS. A client
 * whose request was refused (503, or 409 IDEMPOTENCY_KEY_IN_FLIGHT after a cut try) or cut retries it with the
 * same Idempotency-Key until it is answered.
 * Finally: transitions acknowledged, lost and doubled (against each pairing's audit chain), notifications
 * expected, lost and doubled (against the control pairing's pattern), outbox rows left open or parked.
 * Exit code 0 when nothing was lost or doubled.
 */
import 'reflect-metadata';
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { createConnection } from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { createApp } from '../src/app.factory';
import { dateIn } from '../src/common/clock';
import { loadConfig } from '../src/config/config';
import { SeedService } from '../src/seed/seed.service';
import { TcpProxy } from './support/tcp-proxy';

const PASSWORD = 'Demo@2026';
const ADMIN = { username: 'admin', password: 'Admin@2026' };

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive whole number, not "${raw}"`);
  return value;
}

const PAIRINGS = positiveInt('FAULT_PAIRINGS', 40);
const CONCURRENCY = positiveInt('FAULT_CONCURRENCY', 8);
const OUTAGE_MS = positiveInt('FAULT_OUTAGE_SECONDS', 20) * 1000;
const SETTLE_MS = positiveInt('FAULT_SETTLE_SECONDS', 600) * 1000;
const SERVER_URL = new URL(process.env.FAULT_DATABASE_URL?.trim() || 'mysql://root@127.0.0.1:3306');
const REDIS_SERVER = process.env.REDIS_SERVER?.trim() || '/usr/bin/redis-server';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (line: string) => process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);

async function freePort(): Promise<number> {
  const probe = createServer();
  const port = await new Promise<number>((resolve) => probe.listen(0, '127.0.0.1', () => resolve((probe.address() as AddressInfo).port)));
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** A redis-server of this run's own: flushing it touches nothing shared. */
async function startRedis(): Promise<{ url: string; stop(): Promise<void> }> {
  if (!existsSync(REDIS_SERVER)) throw new Error(`${REDIS_SERVER} is missing (apt-get install redis-server, or set REDIS_SERVER)`);
  const port = await freePort();
  const child: ChildProcess = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.ping();
      client.disconnect();
      break;
    } catch {
      client.disconnect();
      if (i > 100) throw new Error('redis-server did not start');
      await sleep(50);
    }
  }
  return {
    url,
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
  };
}

async function serverConnection() {
  return createConnection({
    host: SERVER_URL.hostname,
    port: Number(SERVER_URL.port || 3306),
    user: decodeURIComponent(SERVER_URL.username || 'root'),
    password: decodeURIComponent(SERVER_URL.password),
  });
}

interface Step {
  as: 'secretary' | 'committee';
  body: Record<string, unknown>;
}

function steps(year: number): Step[] {
  return [
    { as: 'secretary', body: { type: 'SUBMIT' } },
    { as: 'committee', body: { type: 'APPROVE' } },
    {
      as: 'secretary',
      body: {
        type: 'SIGN_AGREEMENT',
        signedOn: `${year}-01-10`,
        validFrom: `${year}-01-01`,
        validTo: `${year}-12-31`,
        goals: '共同提升基层诉源治理水平',
        content: '联合开展调研、联席会议和共建活动日',
        requirements: '每季度至少一次联席会议和一次共建活动日',
      },
    },
    {
      as: 'secretary',
      body: {
        type: 'FILE_PLAN',
        startQuarter: 4,
        items: [{ title: '第4季度共建', quarter: 4, dueDate: `${year}-11-28`, owner: '李立案' }],
      },
    },
    { as: 'committee', body: { type: 'ACCEPT_PLAN' } },
  ];
}

async function main(): Promise<void> {
  const name = `gj_fault_${randomBytes(4).toString('hex')}`;
  const admin = await serverConnection();
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.end();
  const redis = await startRedis();
  const proxy = await TcpProxy.start({ host: SERVER_URL.hostname, port: Number(SERVER_URL.port || 3306) });
  const appUrl = new URL(SERVER_URL.toString());
  appUrl.hostname = '127.0.0.1';
  appUrl.port = String(proxy.port);
  appUrl.pathname = `/${name}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'gongjian-fault-'));
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'development',
    DATABASE_URL: appUrl.toString(),
    REDIS_URL: redis.url,
    QUEUE_PREFIX: `gj-fault-${randomBytes(3).toString('hex')}`,
    DATA_DIR: dataDir,
    SEED_DEMO: 'true',
    SEED_DEMO_PAIRINGS: 'false',
    ADMIN_USERNAME: ADMIN.username,
    ADMIN_PASSWORD: ADMIN.password,
    LOG_LEVEL: process.env.LOG_LEVEL || 'warn',
    JOB_POLL_MS: '100',
    DEADLINE_SWEEP_MS: '0',
    OUTBOX_LEASE_MS: process.env.OUTBOX_LEASE_MS || '5000',
  });
  const app = await createApp(config);
  let exitCode = 1;
  try {
    await app.init();
    await app.get(SeedService).seedIfEmpty();
    await app.listen(0, '127.0.0.1');
    const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/api`;
    const db = app.get(DataSource);
    log(
      `app on ${config.database.engine} through a proxy, Bull on a private Redis; ${PAIRINGS} pairings × 5 events, ${CONCURRENCY} clients`,
    );

    /** A request sent until it is answered (not 503, not cut); same Idempotency-Key each time. */
    const call = async (path: string, init: { method?: string; token?: string; body?: unknown; key?: string } = {}) => {
      for (let attempt = 0; ; attempt++) {
        try {
          const res = await fetch(`${base}${path}`, {
            method: init.method ?? 'GET',
            headers: {
              'content-type': 'application/json',
              ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
              ...(init.key ? { 'idempotency-key': init.key } : {}),
            },
            body: init.body === undefined ? undefined : JSON.stringify(init.body),
            signal: AbortSignal.timeout(30_000),
          });
          const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
          // 503: the database is gone; IDEMPOTENCY_KEY_IN_FLIGHT: a try cut by the outage still holds the key.
          if (res.status !== 503 && body.code !== 'IDEMPOTENCY_KEY_IN_FLIGHT') return { status: res.status, body };
        } catch {
          // Cut or timed out: answered or not, the same key makes the retry safe.
        }
        await sleep(Math.min(2000, 100 * 2 ** Math.min(attempt, 5)));
      }
    };
    const login = async (username: string, password = PASSWORD) => {
      const res = await call('/auth/login', { method: 'POST', body: { username, password } });
      if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
      return { token: res.body.accessToken as string, id: (res.body.user as { id: number }).id };
    };
    const tokens = { secretary: (await login('secretary')).token, committee: (await login('committee')).token };
    const adminToken = (await login(ADMIN.username, ADMIN.password)).token;
    const users = (await call('/users', { token: adminToken })).body as unknown as { id: number; username: string }[];
    const liaison = users.find((u) => u.username === 'member')!.id;
    const year = Number(dateIn(config.timezone, new Date()).slice(0, 4)) - 1;
    const create = async (n: number) => {
      const res = await call('/pairings', {
        method: 'POST',
        token: tokens.secretary,
        body: {
          year,
          title: `故障实验结对 ${n}`,
          theme: '基层诉源治理大调研',
          problem: '家事纠纷诉前化解率偏低',
          partnerIds: [4],
          categories: ['organization'],
          liaisonUserId: liaison,
        },
      });
      if (res.status !== 201) throw new Error(`create ${n}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.id as number;
    };
    const send = (id: number, index: number, step: Step) =>
      call(`/pairings/${id}/events`, {
        method: 'POST',
        token: tokens[step.as],
        body: step.body,
        key: `fault-${id}-${index}-${randomUUID()}`,
      });
    const open = async () => Number((await db.query('SELECT COUNT(*) AS n FROM outbox WHERE done_at IS NULL AND parked_at IS NULL'))[0].n);
    const settle = async (timeoutMs: number) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const left = await open().catch(() => -1);
        if (left === 0) return true;
        if (Date.now() > deadline) return false;
        await sleep(250);
      }
    };

    // The control: one pairing, no fault, settled. Its notifications per seq are the pattern for all.
    const flow = steps(year);
    const control = await create(0);
    for (const [i, step] of flow.entries()) {
      const res = await send(control, i, step);
      if (res.status !== 200) throw new Error(`control ${step.body.type}: ${res.status} ${JSON.stringify(res.body)}`);
    }
    if (!(await settle(60_000))) throw new Error('the control pairing did not settle without faults');
    const pattern = (await db.query('SELECT dedupe_key FROM notification WHERE pairing_id = ?', [control])).map(
      (r: { dedupe_key: string }) => r.dedupe_key.replace(`:${control}:`, ':<id>:'),
    ) as string[];
    log(`control pairing: ${pattern.length} notifications over ${flow.length + 1} events`);

    const ids: number[] = [];
    for (let n = 1; n <= PAIRINGS; n++) ids.push(await create(n));
    const total = ids.length * flow.length;
    let acknowledged = 0;
    const acked = new Map<number, string[]>();
    let flushed = false;
    let outage: Promise<void> | null = null;
    const faults = async () => {
      if (!flushed && acknowledged >= total / 3) {
        flushed = true;
        const client = new Redis(redis.url);
        await client.flushall();
        client.disconnect();
        log(`FLUSHALL on the private Redis after ${acknowledged} of ${total} transitions`);
      }
      if (!outage && acknowledged >= (2 * total) / 3) {
        outage = (async () => {
          log(`database gone (proxy stopped) after ${acknowledged} of ${total} transitions, for ${OUTAGE_MS / 1000} s`);
          await proxy.down();
          await sleep(OUTAGE_MS);
          await proxy.up();
          log(`database back after ${acknowledged} transitions`);
        })();
      }
    };
    let cursor = 0;
    const refused: string[] = [];
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (cursor < ids.length) {
          const id = ids[cursor++];
          for (const [i, step] of flow.entries()) {
            const res = await send(id, i + 1, step);
            if (res.status === 200) {
              acknowledged++;
              acked.set(id, [...(acked.get(id) ?? []), step.body.type as string]);
            } else refused.push(`${id} ${step.body.type}: ${res.status} ${JSON.stringify(res.body)}`);
            await faults();
          }
        }
      }),
    );
    await outage;
    log(
      `${acknowledged} transitions acknowledged, ${refused.length} refused${refused.length ? `: ${refused.slice(0, 3).join('; ')}` : ''}`,
    );

    const settled = await settle(SETTLE_MS);
    const left = await open();
    const parked = Number((await db.query('SELECT COUNT(*) AS n FROM outbox WHERE parked_at IS NOT NULL'))[0].n);

    // Transitions: each pairing's chain holds CREATE and exactly the acknowledged events, once each.
    let lostTransitions = 0;
    let doubledTransitions = 0;
    for (const id of ids) {
      const chain = (await db.query('SELECT type FROM audit_event WHERE chain = ? ORDER BY seq', [`pairing:${id}`])).map(
        (r: { type: string }) => r.type,
      ) as string[];
      const expected = ['CREATE', ...(acked.get(id) ?? [])];
      for (const type of new Set(expected)) {
        const want = expected.filter((t) => t === type).length;
        const got = chain.filter((t) => t === type).length;
        lostTransitions += Math.max(0, want - got);
        doubledTransitions += Math.max(0, got - want);
      }
      doubledTransitions += chain.filter((t) => !expected.includes(t)).length;
    }

    // Notifications: each pairing's set against the control's pattern.
    const rows = (await db.query('SELECT pairing_id, dedupe_key FROM notification WHERE pairing_id IN (?)', [ids])) as {
      pairing_id: number;
      dedupe_key: string;
    }[];
    const actual = rows.map((r) => r.dedupe_key);
    // A pairing whose event was refused (none should be) stops there: expect the notifications of the events it took.
    const seqOf = (key: string) => Number(key.split(':')[2]);
    const expected = ids.flatMap((id) =>
      pattern.filter((key) => seqOf(key) <= 1 + (acked.get(id)?.length ?? 0)).map((key) => key.replace(':<id>:', `:${id}:`)),
    );
    const have = new Set(actual);
    const want = new Set(expected);
    const lostNotifications = expected.filter((key) => !have.has(key)).length;
    const doubledNotifications = actual.length - have.size + actual.filter((key) => !want.has(key)).length;

    process.stdout.write(
      [
        '',
        `transitions:   ${acknowledged} acknowledged, lost ${lostTransitions}, doubled ${doubledTransitions}`,
        `notifications: ${expected.length} expected, ${actual.length} present, lost ${lostNotifications}, doubled ${doubledNotifications}`,
        `outbox:        ${settled ? 'every row done' : `${left} rows still open after ${SETTLE_MS / 1000} s`}, ${parked} parked`,
        `lost/doubled:  ${lostTransitions + lostNotifications}/${doubledTransitions + doubledNotifications}`,
        '',
      ].join('\n'),
    );
    exitCode = lostTransitions + lostNotifications + doubledTransitions + doubledNotifications === 0 && settled && !parked ? 0 : 1;
  } finally {
    await proxy.up().catch(() => undefined);
    await app.close().catch(() => undefined);
    await proxy.down();
    await redis.stop();
    const drop = await serverConnection();
    await drop.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await drop.end();
    rmSync(dataDir, { recursive: true, force: true });
  }
  process.exit(exitCode);
}

main().catch((error) => {
  process.stderr.write(`fault experiment failed: ${error?.stack ?? error}\n`);
  process.exit(2);
});
