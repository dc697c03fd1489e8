/**
 * Outages answered plainly: while the database does not answer, every request gets 503
 * SERVICE_UNAVAILABLE naming it, the log gets one line for the outage (not a stack per request), and the
 * service recovers by itself. Jobs caught in the outage — in-process or as Bull jobs — are done once it is over.
 *
 * On MySQL the outage is real: the app talks to MariaDB through a TCP proxy of this test's own, which the
 * test stops (cutting every connection) and starts again. On SQLite, another connection holds the write lock.
 */
import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OutboxDispatcher } from '../src/jobs/outbox.dispatcher';
import { QueueGateway } from '../src/jobs/queue.gateway';
import { NOTIFICATIONS_QUEUE } from '../src/outbox/queues';
import { TcpProxy } from '../scripts/support/tcp-proxy';
import { at, duplicates, eventually, notificationRows, outboxRows } from './support/jobs';
import { auth, Court } from './support/pairing-flow';
import { engines, settleJobs, startTestApp, TestApp } from './support/test-app';

jest.setTimeout(120_000);

/** Every line the app logs at error level, by logger context and message. */
function errorLog() {
  const lines: { context: string; message: string }[] = [];
  const spy = jest.spyOn(Logger.prototype, 'error').mockImplementation(function (this: Logger, ...args: unknown[]) {
    const message = args.find((a) => typeof a === 'string') as string | undefined;
    lines.push({ context: (this as unknown as { context?: string }).context ?? '', message: message ?? '' });
  });
  return { lines, restore: () => spy.mockRestore() };
}

function expectUnavailable(res: { status: number; body: Record<string, unknown> }) {
  expect({ status: res.status, body: res.body }).toEqual({
    status: 503,
    body: expect.objectContaining({
      statusCode: 503,
      code: 'SERVICE_UNAVAILABLE',
      message: expect.stringContaining('database'),
      details: { dependency: 'database' },
    }),
  });
}

for (const engine of engines().filter((e) => e === 'mysql')) {
  describe(`The database going away and coming back, on ${engine}`, () => {
    let proxy: TcpProxy;
    let t: TestApp;
    let court: Court;

    beforeAll(async () => {
      const server = new URL(process.env.TEST_DATABASE_URL!);
      proxy = await TcpProxy.start({ host: server.hostname, port: Number(server.port || 3306) });
      t = await startTestApp(
        engine,
        {},
        {
          databaseUrl: (url) => {
            const viaProxy = new URL(url);
            viaProxy.hostname = '127.0.0.1';
            viaProxy.port = String(proxy.port);
            return viaProxy.toString();
          },
        },
      );
      court = await Court.open(t);
      for (const user of ['secretary', 'committee', 'leader', 'auditor']) await court.token(user);
    });
    afterAll(async () => {
      await proxy?.up();
      await t?.close();
      await proxy?.down();
    });

    it('answers 503 naming the database, logs the outage once, recovers without a restart, and loses no job', async () => {
      const bull = t.app.get(QueueGateway).enabled;
      const ids: number[] = [];
      for (let i = 0; i < 4; i++) ids.push((await court.create('secretary')).id);
      for (const id of ids) await court.do('secretary', id, { type: 'SUBMIT' });
      await settleJobs(t);
      // Jobs in the outbox when the database goes: approvals whose notifications are not done yet — on
      // Redis already handed to Bull (whose worker is paused until the outage begins).
      if (bull) await t.app.get(QueueGateway).queue(NOTIFICATIONS_QUEUE).pause(true);
      for (const id of ids) await court.do('committee', id, { type: 'APPROVE' });
      if (bull) await t.app.get(OutboxDispatcher).drain();
      const open = (await outboxRows(t, ids)).filter((r) => r.doneAt === null);
      expect(open).toHaveLength(ids.length);
      const before = await court.view('auditor', ids[0]);

      const log = errorLog();
      try {
        await proxy.down();
        if (bull) await t.app.get(QueueGateway).queue(NOTIFICATIONS_QUEUE).resume(true);
        const [auditor, secretary] = [await court.token('auditor'), await court.token('secretary')];
        for (let round = 0; round < 3; round++) {
          expectUnavailable(await t.http().get('/api/pairings').set(auth(auditor)));
          expectUnavailable(await t.http().get(`/api/pairings/${ids[0]}`).set(auth(auditor)));
          expectUnavailable(await t.http().post(`/api/pairings/${ids[0]}/events`).set(auth(secretary)).send({ type: 'SIGN_AGREEMENT' }));
          expectUnavailable(await t.http().post('/api/auth/login').send({ username: 'leader', password: 'Demo@2026' }));
          await expect(t.app.get(OutboxDispatcher).drain()).rejects.toMatchObject({ status: 503 });
        }
        const health = await t.http().get('/api/health');
        expect(health.status).toBe(503);
        expect(health.body.details.error.database.status).toBe('down');
        if (bull)
          await eventually(
            'the Bull jobs to fail on the missing database',
            async () => (await t.app.get(QueueGateway).queue(NOTIFICATIONS_QUEUE).getFailedCount()) >= ids.length,
          );

        // One line for the outage, no stack per request.
        expect(log.lines.filter((l) => /database is not answering/.test(l.message))).toHaveLength(1);
        expect(log.lines.filter((l) => l.context === 'Exceptions')).toEqual([]);

        await proxy.up();
        await eventually(
          'the API to answer again',
          async () => (await t.http().get('/api/pairings').set(auth(auditor))).status === 200,
          30_000,
          200,
        );
        for (let i = 0; i < 3; i++) await t.http().get(`/api/pairings/${ids[0]}`).set(auth(auditor)).expect(200);
        expect((await t.http().get('/api/health')).status).toBe(200);
        expect(log.lines.filter((l) => l.context === 'Exceptions')).toEqual([]);
      } finally {
        log.restore();
        await proxy.up();
      }

      // The refused event changed nothing.
      expect(await court.view('auditor', ids[0])).toMatchObject({ state: before.state, version: before.version });
      // Rows caught in the outage (their Bull jobs failed, nobody could record it) run once their lease ends.
      await at(
        t,
        () => new Date(Date.now() + t.config.jobs.leaseMs + 1000),
        () => settleJobs(t),
      );
      expect((await outboxRows(t, ids)).filter((r) => r.doneAt === null)).toEqual([]);
      const notifications = await notificationRows(t, ids);
      expect(duplicates(notifications.map((n) => n.dedupeKey))).toEqual([]);
      const [committee, secretaryId, leader, partner] = ['committee', 'secretary', 'leader', 'partner'].map((u) => court.id(u));
      expect(notifications.map((n) => n.dedupeKey).sort()).toEqual(
        ids
          .flatMap((id) => [
            `event:${id}:2:${committee}:WAITING`,
            `event:${id}:3:${secretaryId}:DECISION`,
            `event:${id}:3:${leader}:COPY`,
            // The partner's user hears of the approval (SPEC §12).
            `event:${id}:3:${partner}:DECISION`,
          ])
          .sort(),
      );
      // And new work goes through as before.
      expect((await court.send('committee', ids[0], { type: 'TERMINATE', comment: '恢复后测试' })).status).toBe(200);
    });
  });
}

describe('The SQLite database locked by another process', () => {
  let t: TestApp;
  let court: Court;

  beforeAll(async () => {
    t = await startTestApp('sqlite');
    court = await Court.open(t);
    for (const user of ['secretary', 'auditor']) await court.token(user);
  });
  afterAll(() => t?.close());

  it('answers 503 naming the database while the lock is held, logs it once, and works again when it is let go', async () => {
    const { id } = await court.create('secretary');
    const before = await court.view('auditor', id);
    const other = new DataSource({ type: 'better-sqlite3', database: t.config.database.sqlitePath! });
    await other.initialize();
    const log = errorLog();
    try {
      await other.query('BEGIN EXCLUSIVE');
      // Reads go on (WAL); a change waits out busy_timeout, then is refused plainly.
      await t
        .http()
        .get(`/api/pairings/${id}`)
        .set(auth(await court.token('auditor')))
        .expect(200);
      for (let i = 0; i < 2; i++) expectUnavailable(await court.send('secretary', id, { type: 'SUBMIT' }));
      expect(log.lines.filter((l) => /database is not answering/.test(l.message))).toHaveLength(1);
      expect(log.lines.filter((l) => l.context === 'Exceptions')).toEqual([]);
    } finally {
      await other.query('ROLLBACK');
      await other.destroy();
      log.restore();
    }
    expect(await court.view('auditor', id)).toMatchObject({ state: before.state, version: before.version });
    expect((await court.send('secretary', id, { type: 'SUBMIT' })).status).toBe(200);
  });
});
