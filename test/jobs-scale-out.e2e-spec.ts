/**
 * Scale-out (SPEC §2, §9): two API processes and one worker against one MySQL database and one Redis.
 * 100 pairings are driven through the two APIs at once; the worker alone polls the outbox and runs the
 * jobs. Every transition must land exactly once and every notification exist exactly once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createApp } from '../src/app.factory';
import { loadConfig } from '../src/config/config';
import { JobHandlers } from '../src/jobs/job-handlers';
import { NotificationProcessor } from '../src/jobs/notifications/notification.processor';
import { QueueGateway } from '../src/jobs/queue.gateway';
import { NOTIFICATIONS_QUEUE } from '../src/outbox/queues';
import { SeedService } from '../src/seed/seed.service';
import { describeWithRedis, duplicates, eventually, queuesIdle } from './support/jobs';
import { agreement, auth } from './support/pairing-flow';
import { ADMIN, DEMO_PASSWORD, freshDatabase, FreshDatabase } from './support/test-app';
import { dateIn } from '../src/common/clock';

const PAIRINGS = 100;
const CONCURRENCY = 10;
const BUDGET_MS = 120_000;

jest.setTimeout(BUDGET_MS + 30_000);

describeWithRedis('Scale-out on %s: two API processes and a worker (needs TEST_REDIS_URL)', () => {
  let database: FreshDatabase;
  let dataDir: string;
  const apps: NestExpressApplication[] = [];
  let apis: NestExpressApplication[];
  let worker: NestExpressApplication;

  beforeAll(async () => {
    database = await freshDatabase('mysql');
    dataDir = mkdtempSync(join(tmpdir(), 'gongjian-scale-'));
    const env = {
      NODE_ENV: 'test',
      DATABASE_URL: database.url,
      REDIS_URL: process.env.TEST_REDIS_URL!,
      QUEUE_PREFIX: `gj-scale-${randomBytes(4).toString('hex')}`,
      DATA_DIR: dataDir,
      SEED_DEMO: 'true',
      SEED_DEMO_PAIRINGS: 'false',
      ADMIN_USERNAME: ADMIN.username,
      ADMIN_PASSWORD: ADMIN.password,
      LOG_LEVEL: 'silent',
      DEADLINE_SWEEP_MS: '0',
    };
    const start = async (role: 'api' | 'worker', pollMs: string) => {
      const app = await createApp(loadConfig({ ...env, PROCESS_ROLE: role, JOB_POLL_MS: pollMs }));
      apps.push(app);
      await app.init();
      return app;
    };
    // The first process migrates the fresh database; seeding is a deployment step, run once.
    const first = await start('api', '0');
    await first.get(SeedService).seedIfEmpty();
    apis = [first, await start('api', '0')];
    worker = await start('worker', '100');
  });
  afterAll(async () => {
    for (const app of apps.reverse()) await app.close().catch(() => undefined);
    await database?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it(`drives ${PAIRINGS} pairings through both APIs while one worker delivers every job exactly once`, async () => {
    const started = Date.now();
    const http = apis.map((app) => app.getHttpServer());
    let turn = 0;
    /** Each request goes to the next API process. */
    const next = () => request(http[turn++ % http.length]);

    const login = async (username: string) => {
      const res = await next().post('/api/auth/login').send({ username, password: DEMO_PASSWORD }).expect(200);
      return { token: res.body.accessToken as string, id: res.body.user.id as number };
    };
    const [secretary, committee, leader] = [await login('secretary'), await login('committee'), await login('leader')];
    // The demo partner user speaks for the pairings' partner (SPEC §12).
    const partner = await login('partner');
    const admin = (await next().post('/api/auth/login').send(ADMIN).expect(200)).body.accessToken as string;
    const users = await next().get('/api/users').set(auth(admin)).expect(200);
    const liaison: number = users.body.find((u: { username: string }) => u.username === 'member').id;
    const processors = apps.map((app) => jest.spyOn(app.get(NotificationProcessor), 'process'));
    const runs = jest.spyOn(worker.get(JobHandlers), 'runOutboxRow');

    const year = Number(dateIn('Asia/Shanghai', new Date()).slice(0, 4)) - 1;
    const failures: string[] = [];
    const send = async (token: string, id: number, body: Record<string, unknown>) => {
      const res = await next().post(`/api/pairings/${id}/events`).set(auth(token)).send(body);
      if (res.status !== 200) failures.push(`${body.type} on ${id}: ${res.status} ${JSON.stringify(res.body)}`);
    };
    const drive = async (n: number) => {
      const created = await next()
        .post('/api/pairings')
        .set(auth(secretary.token))
        .send({
          year,
          title: `扩容测试结对 ${n}`,
          theme: '基层诉源治理大调研',
          problem: '家事纠纷诉前化解率偏低',
          partnerIds: [4],
          categories: ['organization'],
          liaisonUserId: liaison,
        });
      if (created.status !== 201) {
        failures.push(`create ${n}: ${created.status} ${JSON.stringify(created.body)}`);
        return null;
      }
      const id: number = created.body.id;
      await send(secretary.token, id, { type: 'SUBMIT' });
      await send(committee.token, id, { type: 'APPROVE' });
      await send(secretary.token, id, { type: 'SIGN_AGREEMENT', ...agreement(year) });
      return id;
    };
    const ids: number[] = [];
    let cursor = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (cursor < PAIRINGS) {
          const id = await drive(cursor++);
          if (id !== null) ids.push(id);
        }
      }),
    );
    expect(failures).toEqual([]);
    expect(ids).toHaveLength(PAIRINGS);

    // The worker empties the outbox on its own (it polls every 100 ms); the APIs never dispatch or process.
    const db = worker.get(DataSource);
    const count = async (sql: string) => Number((await db.query(sql))[0].n);
    await eventually(
      'the outbox to empty and the queues to drain',
      async () => (await count('SELECT COUNT(*) AS n FROM outbox WHERE done_at IS NULL')) === 0 && queuesIdle(worker.get(QueueGateway)),
      BUDGET_MS - (Date.now() - started),
      100,
    );

    // Every transition exactly once: per pairing CREATE, SUBMIT, APPROVE, SIGN_AGREEMENT as seq 1–4, version 4.
    const events: { chain: string; seq: number; type: string }[] = await db.query(
      "SELECT chain, seq, type FROM audit_event WHERE chain LIKE 'pairing:%' ORDER BY chain, seq",
    );
    const byPairing = new Map<number, [number, string][]>();
    for (const e of events) {
      const id = Number(e.chain.slice('pairing:'.length));
      byPairing.set(id, [...(byPairing.get(id) ?? []), [Number(e.seq), e.type]]);
    }
    expect([...byPairing.keys()].sort((a, b) => a - b)).toEqual([...ids].sort((a, b) => a - b));
    for (const [, chain] of byPairing)
      expect(chain).toEqual([
        [1, 'CREATE'],
        [2, 'SUBMIT'],
        [3, 'APPROVE'],
        [4, 'SIGN_AGREEMENT'],
      ]);
    const versions: { id: number; version: number; state: string }[] = await db.query('SELECT id, version, state FROM pairing');
    expect(versions.every((p) => Number(p.version) === 4 && p.state === 'agreementSigned')).toBe(true);
    const codes: { code: string }[] = await db.query('SELECT code FROM pairing');
    expect(duplicates(codes.map((c) => c.code))).toEqual([]);

    // Every outbox row handed on once and processed once, by the worker only.
    const outbox: { id: number }[] = await db.query('SELECT id FROM outbox ORDER BY id');
    expect(outbox).toHaveLength(4 * PAIRINGS);
    const queue = worker.get(QueueGateway).queue(NOTIFICATIONS_QUEUE);
    const states = await Promise.all(outbox.map(async (row) => (await queue.getJob(`outbox:${row.id}`))?.getState()));
    expect(states.filter((s) => s !== 'completed')).toEqual([]);
    const [api1, api2, workerCalls] = processors.map((spy) => spy.mock.calls.map(([job]) => job.outboxId));
    expect([api1.length, api2.length]).toEqual([0, 0]);
    // A processor may be entered again when its transaction is retried after a deadlock (its effect rolled
    // back): what counts is that each row's effect was recorded exactly once, by the worker.
    expect([...new Set(workerCalls)].sort((a, b) => a - b)).toEqual(outbox.map((row) => Number(row.id)));
    const outcomes = await Promise.all(
      runs.mock.calls.map(
        async ([row], i) =>
          [typeof row === 'number' ? row : row.id, await (runs.mock.results[i].value as Promise<string>).catch(() => 'failed')] as const,
      ),
    );
    const done = outcomes.filter(([, outcome]) => outcome === 'done').map(([outboxId]) => outboxId);
    expect(duplicates(done.map(String))).toEqual([]);
    expect(done.sort((a, b) => a - b)).toEqual(outbox.map((row) => Number(row.id)));

    // Every notification exactly once: committee on SUBMIT; secretary (the decision, with what now waits on them) and leader (copy) on APPROVE;
    // the partner's user hears of the approval and is asked to countersign the signed agreement.
    const keys: { dedupe_key: string }[] = await db.query('SELECT dedupe_key FROM notification');
    expect(duplicates(keys.map((k) => k.dedupe_key))).toEqual([]);
    const expected = ids.flatMap((id) => [
      `event:${id}:2:${committee.id}:WAITING`,
      `event:${id}:3:${secretary.id}:DECISION`,
      `event:${id}:3:${leader.id}:COPY`,
      `event:${id}:3:${partner.id}:DECISION`,
      `event:${id}:4:${partner.id}:WAITING`,
    ]);
    expect(keys.map((k) => k.dedupe_key).sort()).toEqual(expected.sort());
    expect(Date.now() - started).toBeLessThan(BUDGET_MS);
  });
});
