import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { NestExpressApplication } from '@nestjs/platform-express';
import { createConnection } from 'mysql2/promise';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/app.factory';
import { AppConfig, loadConfig } from '../../src/config/config';
import { mysqlEndpoint, withDatabase } from '../../src/database/mysql-url';
import { SeedService } from '../../src/seed/seed.service';
import { Clock } from '../../src/common/clock';
import { OutboxDispatcher } from '../../src/jobs/outbox.dispatcher';
import { QueueGateway } from '../../src/jobs/queue.gateway';
import { QUEUE_NAMES } from '../../src/outbox/queues';

export type Engine = 'sqlite' | 'mysql';

/** SQLite always; MySQL too when TEST_DATABASE_URL is set (CI sets it). */
export function engines(): Engine[] {
  return process.env.TEST_DATABASE_URL ? ['sqlite', 'mysql'] : ['sqlite'];
}

export interface FreshDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A database no other test run uses: a temp SQLite file, or a new MySQL database dropped afterwards. */
export async function freshDatabase(engine: Engine): Promise<FreshDatabase> {
  if (engine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'gongjian-test-'));
    return { url: `sqlite:${join(dir, 'test.sqlite')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const server = process.env.TEST_DATABASE_URL!;
  const name = `gj_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const endpoint = mysqlEndpoint(server);
  const admin = await createConnection(endpoint);
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.end();
  return {
    url: withDatabase(server, name),
    drop: async () => {
      const conn = await createConnection(endpoint);
      await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await conn.end();
    },
  };
}

export interface TestApp {
  engine: Engine;
  app: NestExpressApplication;
  config: AppConfig;
  http: () => request.Agent;
  dataSource: DataSource;
  token(username: string, password?: string): Promise<string>;
  /** Drops the cached tokens of a user whose token version an admin change bumped. */
  forget(username: string): void;
  close(): Promise<void>;
}

export const DEMO_PASSWORD = 'Demo@2026';
export const ADMIN = { username: 'admin', password: 'Admin@2026' };

/** The real application on a fresh database, seeded with the demo organisation. */
export async function startTestApp(
  engine: Engine,
  env: Record<string, string> = {},
  options: { databaseUrl?: (url: string) => string } = {},
): Promise<TestApp> {
  const database = await freshDatabase(engine);
  const dataDir = mkdtempSync(join(tmpdir(), 'gongjian-data-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: options.databaseUrl ? options.databaseUrl(database.url) : database.url,
    DATA_DIR: dataDir,
    SEED_DEMO: 'true',
    SEED_DEMO_PAIRINGS: 'false',
    ADMIN_USERNAME: ADMIN.username,
    ADMIN_PASSWORD: ADMIN.password,
    LOG_LEVEL: 'silent',
    JOB_POLL_MS: '0',
    DEADLINE_SWEEP_MS: '0',
    ...(engine === 'mysql' && process.env.TEST_REDIS_URL
      ? { REDIS_URL: process.env.TEST_REDIS_URL, QUEUE_PREFIX: `gj-test-${randomBytes(4).toString('hex')}` }
      : {}),
    ...env,
  });
  const app = await createApp(config);
  await app.init();
  await app.get(SeedService).seedIfEmpty();
  const server = app.getHttpServer();
  const tokens = new Map<string, string>();
  return {
    engine,
    app,
    config,
    dataSource: app.get(DataSource),
    http: () => request.agent(server),
    async token(username, password = username === ADMIN.username ? ADMIN.password : DEMO_PASSWORD) {
      const cached = tokens.get(`${username}:${password}`);
      if (cached) return cached;
      const res = await request(server).post('/api/auth/login').send({ username, password });
      if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
      tokens.set(`${username}:${password}`, res.body.accessToken);
      return res.body.accessToken as string;
    },
    forget(username) {
      for (const key of [...tokens.keys()]) if (key.startsWith(`${username}:`)) tokens.delete(key);
    },
    async close() {
      await app.close();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Drives every committed outbox row that is due and waits until the queues (Bull or in-process) have done
 * their work: no row is left open but those waiting out a backoff (or parked).
 */
export async function settleJobs(t: TestApp): Promise<void> {
  const dispatcher = t.app.get(OutboxDispatcher);
  const queues = t.app.get(QueueGateway);
  const clock = t.app.get(Clock);
  for (let round = 0; round < 400; round++) {
    await dispatcher.drain();
    if (queues.enabled) {
      const counts = await Promise.all(QUEUE_NAMES.map((name) => queues.queue(name).getJobCounts()));
      if (counts.some((c) => c.waiting + c.active + c.delayed > 0)) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        continue;
      }
    }
    // Open rows that are due: rows of a Bull job that has not reported back yet, or of a next round.
    const [{ n }] = await t.dataSource.query(
      'SELECT COUNT(*) AS n FROM outbox WHERE done_at IS NULL AND parked_at IS NULL AND available_at <= ?',
      [clock.now().toISOString()],
    );
    if (Number(n) === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('jobs did not settle');
}
