/**
 * The database owns delivery and schedules (SPEC §9): a row that can never succeed is parked where the
 * administrator and the health check see it, and comes back when told; the deadline sweep is driven from
 * the database, once per period across all workers, whatever happens to Redis.
 */
import { NestExpressApplication } from '@nestjs/platform-express';
import { createApp } from '../src/app.factory';
import { DeadlineSweeper } from '../src/jobs/deadlines/deadline.sweeper';
import { DEADLINE_SWEEP, JobsRunner } from '../src/jobs/jobs.runner';
import { NotificationProcessor } from '../src/jobs/notifications/notification.processor';
import { Schedules } from '../src/jobs/schedules';
import { at, eventually, notificationRows, outboxRows } from './support/jobs';
import { auth, Court } from './support/pairing-flow';
import { engines, settleJobs, startTestApp, TestApp } from './support/test-app';

describe.each(engines())('Outbox rows that keep failing, on %s', (engine) => {
  let t: TestApp;
  let court: Court;

  beforeAll(async () => {
    t = await startTestApp(engine, { OUTBOX_PARK_AFTER: '3' });
    court = await Court.open(t);
  });
  afterAll(() => t.close());
  afterEach(() => jest.restoreAllMocks());

  it('parks a row that fails with the same bug again and again, shows it to the admin and in health, and runs it when told', async () => {
    await settleJobs(t);
    const { id } = await court.create('secretary');
    await court.do('secretary', id, { type: 'SUBMIT' });
    const [row] = (await outboxRows(t, [id])).filter((r) => r.doneAt === null && r.payload.type === 'SUBMIT');
    const processor = t.app.get(NotificationProcessor);
    const real = processor.process.bind(processor);
    jest.spyOn(processor, 'process').mockImplementation(async (job) => {
      if (job.outboxId === row.id) throw new TypeError("Cannot read properties of undefined (reading 'leadBranchId')");
      return real(job);
    });

    let clock = Date.now();
    for (let attempt = 1; attempt <= 3; attempt++) {
      await at(t, new Date(clock), () => settleJobs(t));
      const now = (await outboxRows(t, [id])).find((r) => r.id === row.id)!;
      expect(now.attempts).toBe(attempt);
      clock = Date.parse(now.availableAt) + 1;
    }
    const parked = (await outboxRows(t, [id])).find((r) => r.id === row.id)!;
    expect(parked).toMatchObject({
      doneAt: null,
      parkedAt: expect.any(String),
      attempts: 3,
      lastError: expect.stringContaining('leadBranchId'),
    });
    // Never driven again by itself.
    await at(t, new Date(clock + 86_400_000), () => settleJobs(t));
    expect((await outboxRows(t, [id])).find((r) => r.id === row.id)!.attempts).toBe(3);

    // Health stays 200 (the service works) but says so.
    const health = await t.http().get('/api/health').expect(200);
    expect(health.body.status).toBe('degraded');
    expect(health.body.info.outbox ?? health.body.details.outbox).toMatchObject({
      status: 'degraded',
      parked: 1,
      message: expect.stringContaining('/api/jobs/outbox'),
    });
    // The administrator sees which row and why; nobody else does.
    const admin = await court.token('admin');
    const list = await t.http().get('/api/jobs/outbox').set(auth(admin)).expect(200);
    expect(list.body).toMatchObject({
      parked: 1,
      parkedRows: [expect.objectContaining({ id: row.id, kind: 'pairing.event', attempts: 3 })],
    });
    expect(list.body.parkedRows[0].lastError).toContain('leadBranchId');
    for (const role of ['committee', 'auditor'])
      await t
        .http()
        .get('/api/jobs/outbox')
        .set(auth(await court.token(role)))
        .expect(403);
    await t
      .http()
      .post(`/api/jobs/outbox/${row.id}/retry`)
      .set(auth(await court.token('committee')))
      .expect(403);
    expect((await t.http().post('/api/jobs/outbox/99999999/retry').set(auth(admin))).status).toBe(404);
    expect((await t.http().post('/api/jobs/outbox/abc/retry').set(auth(admin))).status).toBe(400);

    // The bug fixed, the admin sends it again: it is done, its notification exists once.
    jest.restoreAllMocks();
    const retried = await t.http().post(`/api/jobs/outbox/${row.id}/retry`).set(auth(admin)).expect(200);
    expect(retried.body).toMatchObject({ id: row.id, parked: false });
    expect((await t.http().post(`/api/jobs/outbox/${row.id}/retry`).set(auth(admin))).status).toBe(404);
    await settleJobs(t);
    expect((await outboxRows(t, [id])).find((r) => r.id === row.id)).toMatchObject({ doneAt: expect.any(String), parkedAt: null });
    expect((await notificationRows(t, [id])).filter((n) => n.dedupeKey === `event:${id}:2:${court.id('committee')}:WAITING`)).toHaveLength(
      1,
    );
    const healthy = await t.http().get('/api/health').expect(200);
    expect(healthy.body.status).toBe('ok');
  });
});

describe.each(engines())('The deadline sweep, scheduled in the database, on %s', (engine) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp(engine, { DEADLINE_SWEEP_MS: '60000' });
  });
  afterAll(() => t.close());
  afterEach(() => jest.restoreAllMocks());

  it('sweeps once per period, however often a worker asks', async () => {
    const runner = t.app.get(JobsRunner);
    const sweeps = jest.spyOn(t.app.get(DeadlineSweeper), 'sweep');
    const t0 = Date.now() + 3_600_000;
    const ask = (ms: number) => at(t, new Date(t0 + ms), () => runner.sweepIfDue());
    expect(await ask(0)).toBe(true);
    expect(await ask(1)).toBe(false);
    expect(await ask(59_999)).toBe(false);
    expect(await ask(60_000)).toBe(true);
    expect(await ask(60_001)).toBe(false);
    expect(sweeps).toHaveBeenCalledTimes(2);
    // Callers racing for the same period: one wins it.
    const schedules = t.app.get(Schedules);
    const race = await at(t, new Date(t0 + 120_000), () =>
      Promise.all([
        schedules.claim(DEADLINE_SWEEP, 60_000),
        schedules.claim(DEADLINE_SWEEP, 60_000),
        schedules.claim(DEADLINE_SWEEP, 60_000),
      ]),
    );
    expect(race.filter(Boolean)).toHaveLength(1);
  });

  if (engine === 'mysql')
    it('is swept by one of two workers per period', async () => {
      let other: NestExpressApplication | null = null;
      try {
        other = await createApp({ ...t.config, processRole: 'worker' });
        await other.init();
        const runners = [t.app.get(JobsRunner), other.get(JobsRunner)];
        const sweeps = [jest.spyOn(t.app.get(DeadlineSweeper), 'sweep'), jest.spyOn(other.get(DeadlineSweeper), 'sweep')];
        const t0 = Date.now() + 7_200_000;
        for (let period = 0; period < 4; period++) {
          const when = new Date(t0 + period * 60_000);
          const won = await at(t, when, () => Promise.all(runners.map((r) => r.sweepIfDue())));
          // `at` moves the one Clock both apps share in this process.
          expect(won.filter(Boolean)).toHaveLength(1);
        }
        expect(sweeps[0].mock.calls.length + sweeps[1].mock.calls.length).toBe(4);
      } finally {
        await other?.close();
      }
    });

  it('runs by itself in a worker every period', async () => {
    const fast = await startTestApp(engine, { DEADLINE_SWEEP_MS: '200' });
    try {
      const sweeps = jest.spyOn(fast.app.get(DeadlineSweeper), 'sweep');
      await eventually('two sweeps', async () => sweeps.mock.calls.length >= 2, 20_000);
    } finally {
      await fast.close();
    }
  });
});

describe.each(engines())('Notices right after the commit, on %s', (engine) => {
  let t: TestApp;
  let court: Court;

  // The poll would first run an hour from now: whatever is delivered before came from the commit's nudge.
  beforeAll(async () => {
    t = await startTestApp(engine, { JOB_POLL_MS: '3600000' });
    court = await Court.open(t);
  });
  afterAll(() => t.close());

  it('go out as soon as the transition that promised them commits, not at the next poll', async () => {
    const { id } = await court.create('secretary');
    await court.do('secretary', id, { type: 'SUBMIT' });
    await court.do('committee', id, { type: 'APPROVE' });
    const keys = async () => (await notificationRows(t, [id])).map((n) => n.dedupeKey);
    await eventually('the committee told of SUBMIT, the secretary of APPROVE', async () => {
      const told = await keys();
      return (
        told.includes(`event:${id}:2:${court.id('committee')}:WAITING`) && told.includes(`event:${id}:3:${court.id('secretary')}:DECISION`)
      );
    });
    await eventually('every outbox row of the pairing done', async () => (await outboxRows(t, [id])).every((row) => row.doneAt !== null));
  });
});
