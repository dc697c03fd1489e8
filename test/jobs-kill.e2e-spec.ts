/**
 * A worker killed with SIGKILL in the middle of its work (SPEC §9): the rows it held — claimed, handed to
 * Bull, or running — are driven again by the next worker once their lease ends, so every notification
 * arrives exactly once, without waiting for Bull's stalled-job recovery. The worker is the built service
 * (`npm run build:api`, done by `pretest`) as a real process; the API runs in this process.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createApp } from '../src/app.factory';
import { loadConfig } from '../src/config/config';
import { SeedService } from '../src/seed/seed.service';
import { describeWithRedis, duplicates, eventually } from './support/jobs';
import { auth } from './support/pairing-flow';
import { ADMIN, DEMO_PASSWORD, freshDatabase, FreshDatabase } from './support/test-app';

const MAIN = join(__dirname, '..', 'dist', 'src', 'main.js');
const PAIRINGS = 30;

jest.setTimeout(180_000);

describeWithRedis('A worker killed mid-run on %s (needs TEST_REDIS_URL)', () => {
  let database: FreshDatabase;
  let dataDir: string;
  let api: NestExpressApplication;
  const workers: ChildProcess[] = [];
  let env: Record<string, string>;

  const startWorker = async () => {
    const child = spawn(process.execPath, [MAIN], { env: { PATH: process.env.PATH!, ...env, PROCESS_ROLE: 'worker' } });
    workers.push(child);
    let output = '';
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    await eventually('the worker to start', async () => output.includes('worker is running'), 60_000, 100);
    return child;
  };
  const kill = async (child: ChildProcess, signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
  };

  beforeAll(async () => {
    database = await freshDatabase('mysql');
    dataDir = mkdtempSync(join(tmpdir(), 'gongjian-kill-'));
    env = {
      NODE_ENV: 'test',
      DATABASE_URL: database.url,
      REDIS_URL: process.env.TEST_REDIS_URL!,
      QUEUE_PREFIX: `gj-kill-${randomBytes(4).toString('hex')}`,
      DATA_DIR: dataDir,
      JWT_SECRET: randomBytes(24).toString('hex'),
      SEED_DEMO: 'true',
      SEED_DEMO_PAIRINGS: 'false',
      ADMIN_USERNAME: ADMIN.username,
      ADMIN_PASSWORD: ADMIN.password,
      LOG_LEVEL: 'silent',
      JOB_POLL_MS: '100',
      DEADLINE_SWEEP_MS: '0',
      OUTBOX_LEASE_MS: '3000',
    };
    api = await createApp(loadConfig({ ...env, PROCESS_ROLE: 'api' }));
    await api.init();
    await api.get(SeedService).seedIfEmpty();
  });
  afterAll(async () => {
    for (const child of workers) await kill(child, 'SIGKILL');
    await api?.close();
    await database?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('delivers every notification exactly once after the worker is killed and another takes over', async () => {
    const first = await startWorker();
    const http = () => request(api.getHttpServer());
    const login = async (username: string) => {
      const res = await http().post('/api/auth/login').send({ username, password: DEMO_PASSWORD }).expect(200);
      return { token: res.body.accessToken as string, id: res.body.user.id as number };
    };
    const [secretary, committee, leader] = [await login('secretary'), await login('committee'), await login('leader')];
    // The demo partner user speaks for the pairings' partner and hears of the approval (SPEC §12).
    const partner = await login('partner');
    const admin = (await http().post('/api/auth/login').send(ADMIN).expect(200)).body.accessToken as string;
    const liaison: number = (await http().get('/api/users').set(auth(admin)).expect(200)).body.find(
      (u: { username: string }) => u.username === 'member',
    ).id;
    const year = new Date().getUTCFullYear() - 1;

    const ids: number[] = [];
    for (let n = 0; n < PAIRINGS; n++) {
      const created = await http()
        .post('/api/pairings')
        .set(auth(secretary.token))
        .send({
          year,
          title: `强杀测试结对 ${n}`,
          theme: '诉源治理',
          problem: '化解率偏低',
          partnerIds: [4],
          categories: ['organization'],
          liaisonUserId: liaison,
        })
        .expect(201);
      ids.push(created.body.id);
    }
    await Promise.all(
      ids.map(async (id) => {
        await http().post(`/api/pairings/${id}/events`).set(auth(secretary.token)).send({ type: 'SUBMIT' }).expect(200);
        await http().post(`/api/pairings/${id}/events`).set(auth(committee.token)).send({ type: 'APPROVE' }).expect(200);
      }),
    );

    // Frozen, then killed, with work in hand: nothing it held is finished or handed back.
    first.kill('SIGSTOP');
    const db = api.get(DataSource);
    const count = async (sql: string) => Number((await db.query(sql))[0].n);
    const openAtKill = await count('SELECT COUNT(*) AS n FROM outbox WHERE done_at IS NULL');
    await kill(first, 'SIGKILL');
    expect(openAtKill).toBeGreaterThan(0);

    await startWorker();
    await eventually(
      'every outbox row to be done',
      async () => (await count('SELECT COUNT(*) AS n FROM outbox WHERE done_at IS NULL')) === 0,
      90_000,
      200,
    );

    const keys: string[] = (await db.query('SELECT dedupe_key FROM notification WHERE pairing_id IS NOT NULL')).map(
      (r: { dedupe_key: string }) => r.dedupe_key,
    );
    expect(duplicates(keys)).toEqual([]);
    const expected = ids.flatMap((id) => [
      `event:${id}:2:${committee.id}:WAITING`,
      `event:${id}:3:${secretary.id}:DECISION`,
      `event:${id}:3:${leader.id}:COPY`,
      `event:${id}:3:${partner.id}:DECISION`,
    ]);
    expect(keys.filter((k) => k.startsWith('event:')).sort()).toEqual(expected.sort());
    expect(await count('SELECT COUNT(*) AS n FROM outbox WHERE parked_at IS NOT NULL')).toBe(0);
  });
});
