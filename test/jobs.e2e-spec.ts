/**
 * Jobs (SPEC §8–§9): who each transition notifies, the notifications API, the deadline sweep under a
 * moved Clock, and the outbox's promises — each row handed on once by racing dispatchers, a job that
 * fails is retried without a second effect, and a replayed job does nothing.
 *
 * On sqlite the processors run in-process; on mysql (with TEST_REDIS_URL) they run as Bull jobs.
 */
import { NestExpressApplication } from '@nestjs/platform-express';
import type { Job } from 'bull';
import { createApp } from '../src/app.factory';
import { DeadlineSweeper } from '../src/jobs/deadlines/deadline.sweeper';
import { NotificationProcessor } from '../src/jobs/notifications/notification.processor';
import { PairingEventJob } from '../src/jobs/notifications/pairing-event.job';
import { OutboxDispatcher } from '../src/jobs/outbox.dispatcher';
import { QueueGateway } from '../src/jobs/queue.gateway';
import { NOTIFICATIONS_QUEUE } from '../src/outbox/queues';
import {
  at,
  byTuple,
  duplicates,
  eventNotifications,
  eventually,
  notificationRows,
  outboxRows,
  OutboxView,
  queuesIdle,
} from './support/jobs';
import { activity, agreement, auth, Court, plan, quarterReport, review, type PairingView } from './support/pairing-flow';
import { engines, settleJobs, startTestApp, TestApp } from './support/test-app';

const DAY_MS = 86_400_000;
// `partner` speaks for partner 4, the partner of every pairing here (SPEC §12).
const USERS = ['admin', 'secretary', 'secretary2', 'committee', 'leader', 'auditor', 'member', 'deputy', 'partner'];

type Expected = [number, string, string][];

const sorted = (list: Expected) => [...list].sort(byTuple);

/** Runs `work` over `items`, at most `limit` at a time. */
async function pool<T, R>(items: T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await work(items[i], i);
      }
    }),
  );
  return out;
}

const cases = engines().map((engine) => ({
  engine,
  mode: engine === 'mysql' && process.env.TEST_REDIS_URL ? 'Bull on Redis' : 'in-process',
}));

describe.each(cases)('Jobs on $engine ($mode)', ({ engine }) => {
  let t: TestApp;
  let court: Court;
  let bull: boolean;
  const names = new Map<number, string>();

  beforeAll(async () => {
    t = await startTestApp(engine);
    court = await Court.open(t);
    // A deputy secretary of the lead branch: what waits on "the secretary" goes to both.
    await court.user('deputy', ['secretary'], court.leadBranch);
    for (const user of USERS) {
      names.set(court.id(user), user);
      await court.token(user);
    }
    bull = t.app.get(QueueGateway).enabled;
    expect(bull).toBe(engine === 'mysql' && Boolean(process.env.TEST_REDIS_URL));
  });
  afterAll(() => t.close());
  afterEach(() => jest.restoreAllMocks());

  /** The event notifications of a pairing, as (seq, user, kind). */
  async function notified(pairingId: number): Promise<Expected> {
    return eventNotifications(await notificationRows(t, [pairingId]), names);
  }

  /** A pairing created and submitted by the secretary and approved by the committee (seq 1–3). */
  async function approved(): Promise<number> {
    const { id } = await court.create('secretary');
    await court.do('secretary', id, { type: 'SUBMIT' });
    await court.do('committee', id, { type: 'APPROVE' });
    return id;
  }
  /** What `approved()` notifies. */
  const approvedNotices: Expected = [
    [1, 'deputy', 'WAITING'],
    [2, 'committee', 'WAITING'],
    [3, 'deputy', 'WAITING'],
    [3, 'leader', 'COPY'],
    [3, 'partner', 'DECISION'], // the partner side hears of decisions on its pairings
    [3, 'secretary', 'DECISION'], // one notice: the decision, and what now waits on them
  ];

  describe('notifications', () => {
    it('tell whom a transition now waits on (never its actor), the submitter of a decision, and copy leaders', async () => {
      const year = court.year;
      const { id } = await court.create('secretary');
      const steps: [string, Record<string, unknown> & { type: string }][] = [
        ['secretary', { type: 'SUBMIT' }],
        ['secretary', { type: 'URGE' }],
        ['committee', { type: 'RETURN', comment: '请补充实际问题' }],
        ['deputy', { type: 'SUBMIT' }],
        ['committee', { type: 'APPROVE' }],
        ['secretary', { type: 'SIGN_AGREEMENT', ...agreement(year) }],
        ['secretary', { type: 'FILE_PLAN', ...plan(year, 4) }],
        ['committee', { type: 'ACCEPT_PLAN' }],
        ['member', { type: 'RECORD_ACTIVITY', ...activity(year, 4, 'joint_meeting') }],
        ['secretary', { type: 'RECORD_ACTIVITY', ...activity(year, 4, 'activity_day', 20) }],
        ['secretary', { type: 'SUBMIT_QUARTER_REPORT', ...quarterReport() }],
        ['committee', { type: 'SCORE_QUARTER', score: 88 }],
        ['secretary', { type: 'SUBMIT_REVIEW', ...review() }],
        ['committee', { type: 'APPROVE_REVIEW', score: 90 }],
      ];
      for (const [as, body] of steps) await court.do(as, id, body);
      expect((await court.view('auditor', id)).state).toBe('scored');
      await settleJobs(t);

      expect(await notified(id)).toEqual(
        sorted([
          [1, 'deputy', 'WAITING'], // CREATE: the draft waits on the branch's secretaries
          [2, 'committee', 'WAITING'], // SUBMIT
          [3, 'committee', 'URGED'], // URGE
          [4, 'deputy', 'WAITING'], // RETURN: back with the secretaries; the submitter hears the decision (one notice)
          [4, 'secretary', 'DECISION'],
          [5, 'committee', 'WAITING'], // SUBMIT again, by the deputy
          [6, 'deputy', 'DECISION'], // APPROVE: the deputy submitted this time
          [6, 'secretary', 'WAITING'],
          [6, 'leader', 'COPY'],
          [6, 'partner', 'DECISION'],
          [7, 'deputy', 'WAITING'], // SIGN_AGREEMENT by the secretary: the other secretary
          [7, 'partner', 'WAITING'], // and the partner, to countersign (version 2)
          [8, 'committee', 'WAITING'], // FILE_PLAN
          [9, 'deputy', 'WAITING'], // ACCEPT_PLAN
          [9, 'secretary', 'DECISION'],
          [9, 'partner', 'DECISION'],
          [10, 'partner', 'WAITING'], // RECORD_ACTIVITY: the partner confirms each activity
          [11, 'partner', 'WAITING'],
          // RECORD_ACTIVITY (10, 11) changes nothing anyone of the court waits on
          [12, 'committee', 'WAITING'], // SUBMIT_QUARTER_REPORT
          [13, 'deputy', 'WAITING'], // SCORE_QUARTER of Q4 → year-end review
          [13, 'secretary', 'DECISION'],
          [13, 'partner', 'DECISION'], // and now the partner's evaluation waits
          [14, 'committee', 'WAITING'], // SUBMIT_REVIEW
          [15, 'secretary', 'DECISION'], // APPROVE_REVIEW: final, nobody waits
          [15, 'leader', 'COPY'],
          [15, 'partner', 'DECISION'],
        ]),
      );
      const history = await court.history(id);
      for (const [seq, user] of await notified(id)) expect(history[seq - 1].actorId).not.toBe(String(court.id(user)));
    });

    it('tell of rejections, terminations and withdrawals, copying leaders on the first two', async () => {
      const rejected = await court.create('secretary');
      await court.do('secretary', rejected.id, { type: 'SUBMIT' });
      await court.do('committee', rejected.id, { type: 'REJECT', comment: '与年度重点不符' });
      const terminated = await approved();
      await court.do('committee', terminated, { type: 'TERMINATE', comment: '共建单位撤并' });
      const withdrawn = await court.create('secretary');
      await court.do('secretary', withdrawn.id, { type: 'WITHDRAW', comment: '不再推进' });
      await settleJobs(t);

      expect(await notified(rejected.id)).toEqual(
        sorted([
          [1, 'deputy', 'WAITING'],
          [2, 'committee', 'WAITING'],
          [3, 'secretary', 'DECISION'],
          [3, 'leader', 'COPY'],
        ]),
      );
      expect(await notified(terminated)).toEqual(
        sorted([
          ...approvedNotices,
          [4, 'deputy', 'DECISION'],
          [4, 'secretary', 'DECISION'],
          [4, 'leader', 'COPY'],
          [4, 'partner', 'DECISION'],
        ]),
      );
      expect(await notified(withdrawn.id)).toEqual(
        sorted([
          [1, 'deputy', 'WAITING'],
          [2, 'deputy', 'DECISION'],
        ]),
      );
    });

    it('skip inactive users: a deactivated deputy hears nothing more', async () => {
      await court.setActive('deputy', false);
      try {
        const id = await approved();
        await settleJobs(t);
        expect(await notified(id)).toEqual(approvedNotices.filter(([, user]) => user !== 'deputy'));
      } finally {
        await court.setActive('deputy', true);
      }
    });

    it('are listed for their owner with the unread count, and marked read only by their owner', async () => {
      const id = await approved();
      await settleJobs(t);
      const list = async (as: string, query = '') => {
        const res = await t
          .http()
          .get(`/api/notifications${query}`)
          .set(auth(await court.token(as)))
          .expect(200);
        return res.body as { unread: number; items: Record<string, any>[] }; // eslint-disable-line @typescript-eslint/no-explicit-any
      };
      const read = async (as: string, notificationId: number | string) =>
        t
          .http()
          .post(`/api/notifications/${notificationId}/read`)
          .set(auth(await court.token(as)));

      const before = await list('secretary');
      const mine = (await notificationRows(t)).filter((n) => n.userId === court.id('secretary'));
      // Unread counts what still calls for attention: not read, and not about a step already taken.
      expect(before.unread).toBe(mine.filter((n) => n.readAt === null && n.doneAt === null).length);
      expect(before.items.map((n) => n.id)).toEqual(
        mine
          .map((n) => n.id)
          .reverse()
          .slice(0, 50),
      );
      const decision = before.items.find((n) => n.pairingId === id && n.kind === 'DECISION')!;
      expect(decision).toEqual({
        id: expect.anything(),
        pairingId: id,
        kind: 'DECISION',
        title: expect.stringContaining('批准'),
        body: expect.stringMatching(/已批准.*待您办理：签订共建协议书/),
        comment: null,
        needsAction: true,
        done: false,
        doneAt: null,
        createdAt: expect.stringMatching(/Z$/),
        readAt: null,
        read: false,
      });
      const other = await approved();
      await settleJobs(t);
      const middle = await list('secretary');
      expect(middle.unread).toBe(before.unread + 1);
      const waiting = middle.items.find((n) => n.pairingId === other && n.kind === 'DECISION')!;

      expect((await read('secretary', decision.id)).body).toEqual({ id: decision.id, read: true });
      const after = await list('secretary');
      expect(after.unread).toBe(middle.unread - 1);
      expect(after.items.find((n) => n.id === decision.id)).toMatchObject({ read: true, readAt: expect.stringMatching(/Z$/) });
      // Reading twice is harmless and keeps the first reading time.
      const readAt = after.items.find((n) => n.id === decision.id)!.readAt;
      expect((await read('secretary', decision.id)).status).toBe(200);
      expect((await list('secretary')).items.find((n) => n.id === decision.id)!.readAt).toBe(readAt);
      // ?unread=true leaves out what was read.
      const unread = await list('secretary', '?unread=true');
      expect(unread.items.every((n) => n.read === false && n.done === false)).toBe(true);
      expect(unread.items.map((n) => n.id)).not.toContain(decision.id);
      expect(unread.items.map((n) => n.id)).toContain(waiting.id);

      // Someone else's notification, or one that does not exist, is not found — and stays unread.
      for (const as of ['deputy', 'committee', 'admin']) {
        const res = await read(as, waiting.id);
        expect({ status: res.status, code: res.body.code }).toEqual({ status: 404, code: 'NOT_FOUND' });
      }
      expect((await read('secretary', 99_999_999)).status).toBe(404);
      expect((await read('secretary', 'abc')).status).toBe(400);
      expect((await t.http().post(`/api/notifications/${waiting.id}/read`)).status).toBe(401);
      expect((await t.http().get('/api/notifications')).status).toBe(401);
      expect((await notificationRows(t)).find((n) => n.id === waiting.id)!.readAt).toBeNull();
    });

    /** A user's notices about one pairing, newest first, as the API serves them to that reader. */
    async function notices(as: string, pairingId: number, headers: Record<string, string> = {}, query = '') {
      const res = await t
        .http()
        .get(`/api/notifications?limit=200${query}`)
        .set({ ...auth(await court.token(as)), ...headers })
        .expect(200);
      return (res.body.items as Record<string, any>[]).filter((n) => n.pairingId === pairingId); // eslint-disable-line @typescript-eslint/no-explicit-any
    }

    it('carry the reason and what now waits on the reader, in the reader’s language', async () => {
      const { id, code } = await court.create('secretary');
      await court.do('secretary', id, { type: 'SUBMIT' });
      await court.do('committee', id, { type: 'RETURN', comment: '请补充实际问题的量化目标' });
      await settleJobs(t);

      const [returned] = await notices('secretary', id, { 'Accept-Language': 'zh-CN,zh;q=0.9' });
      expect(returned).toMatchObject({
        kind: 'DECISION',
        comment: '请补充实际问题的量化目标',
        needsAction: true,
        done: false,
        title: `${code} 退回修改`,
        body: expect.stringMatching(/：退回修改，当前状态：已退回。理由：请补充实际问题的量化目标。待您办理：按退回意见修改申报。$/),
      });
      // The same notice for a reader of English: from the browser's Accept-Language, or asked for outright.
      for (const [headers, query] of [
        [{ 'Accept-Language': 'en-GB,en;q=0.8' }, ''],
        [{ 'Accept-Language': 'zh-CN' }, '&lang=en'],
      ] as const) {
        const [english] = await notices('secretary', id, headers, query);
        expect(english).toMatchObject({
          id: returned.id,
          title: `${code} Return`,
          body: expect.stringMatching(
            /: Return; now Returned\. Reason: 请补充实际问题的量化目标\. Waiting for you: Revise the returned proposal\.$/,
          ),
        });
      }
      const bad = await t
        .http()
        .get('/api/notifications?lang=fr')
        .set(auth(await court.token('secretary')));
      expect({ status: bad.status, code: bad.body.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    });

    it('are marked done once the step they asked for is taken, by whoever took it', async () => {
      const { id } = await court.create('secretary');
      await court.do('secretary', id, { type: 'SUBMIT' });
      await settleJobs(t);
      const [review] = await notices('committee', id);
      expect(review).toMatchObject({
        kind: 'WAITING',
        needsAction: true,
        done: false,
        title: expect.stringContaining('待您办理：审批结对申报'),
      });
      const unreadBefore = (
        await t
          .http()
          .get('/api/notifications')
          .set(auth(await court.token('committee')))
      ).body.unread;

      await court.do('committee', id, { type: 'RETURN', comment: '请细化' });
      await settleJobs(t);
      expect((await notices('committee', id)).find((n) => n.id === review.id)).toMatchObject({
        done: true,
        doneAt: expect.stringMatching(/Z$/),
        read: false,
      });
      // A done notice no longer calls for attention.
      expect(
        (
          await t
            .http()
            .get('/api/notifications')
            .set(auth(await court.token('committee')))
        ).body.unread,
      ).toBe(unreadBefore - 1);

      // The deputy resubmits: the secretary's return notice is done too, though the secretary did nothing.
      const [returned] = await notices('secretary', id);
      expect(returned).toMatchObject({ kind: 'DECISION', done: false });
      await court.do('deputy', id, { type: 'SUBMIT' });
      await settleJobs(t);
      expect((await notices('secretary', id)).find((n) => n.id === returned.id)!.done).toBe(true);
      // What the new step asks for is open; a step that does not move the pairing (URGE) closes nothing.
      await court.do('secretary', id, { type: 'URGE' });
      await settleJobs(t);
      const open = (await notices('committee', id)).filter((n) => !n.done);
      expect(open.map((n) => n.kind).sort()).toEqual(['URGED', 'WAITING']);
    });

    it('are done at once when their job runs after the pairing has already moved on', async () => {
      const { id } = await court.create('secretary');
      await court.do('secretary', id, { type: 'SUBMIT' });
      await court.do('committee', id, { type: 'APPROVE' });
      const rows = await outboxRows(t, [id]);
      const processor = t.app.get(NotificationProcessor);
      // The approval's job first, then the submission's: its "review this" notice is already done.
      for (const row of [...rows].reverse()) await processor.process({ ...row.payload, outboxId: row.id } as PairingEventJob);
      const [review] = await notices('committee', id);
      expect(review).toMatchObject({ kind: 'WAITING', done: true });
      const [approvedNotice] = await notices('secretary', id);
      expect(approvedNotice).toMatchObject({ kind: 'DECISION', done: false });
      await settleJobs(t);
    });

    it('read the pairing and the event back when their job was written without their facts, and say the same', async () => {
      const texts = async (pairingId: number) =>
        (
          (await t.dataSource.query(
            'SELECT `user_id`, `kind`, `title`, `body`, `params`, `needs_action` FROM `notification` WHERE `pairing_id` = ? ORDER BY `id`',
            [pairingId],
          )) as Record<string, unknown>[]
        ).map((n) => ({ ...n, user_id: Number(n.user_id), needs_action: Number(n.needs_action) }) as Record<string, unknown>);
      const processor = t.app.get(NotificationProcessor);
      const carried = await court.create('secretary');
      const bare = await court.create('secretary', { title: carried.title });
      for (const { id } of [carried, bare]) await court.do('secretary', id, { type: 'SUBMIT', comment: '请审批' });
      await settleJobs(t);
      // Told again by hand: once from the facts the job carries, once from the pairing and the event read back.
      await t.dataSource.query('DELETE FROM `notification` WHERE `pairing_id` IN (?, ?)', [carried.id, bare.id]);
      const [withFacts] = (await outboxRows(t, [carried.id])).slice(-1);
      const [withoutFacts] = (await outboxRows(t, [bare.id])).slice(-1);
      expect(withFacts.payload).toMatchObject({ pairing: { title: carried.title }, event: { comment: '请审批' } });
      const { pairing: _pairing, event: _event, ...older } = withoutFacts.payload as unknown as PairingEventJob;
      await processor.process({ ...(withFacts.payload as unknown as PairingEventJob), outboxId: withFacts.id });
      await processor.process({ ...older, outboxId: withoutFacts.id });
      const code = (text: unknown, pairing: PairingView) => String(text).replaceAll(String(pairing.code), '<code>');
      const said = async (pairing: PairingView) =>
        (await texts(pairing.id)).map((n) => ({
          ...n,
          title: code(n.title, pairing),
          body: code(n.body, pairing),
          params: code(n.params, pairing),
        }));
      const told = await said(carried);
      expect(told.length).toBeGreaterThan(0);
      expect(told[0].body).toContain('请审批');
      expect(await said(bare)).toEqual(told);
    });

    it('exist exactly once, however often the dispatcher and the processor run over the same rows', async () => {
      const ids = [await approved(), await approved()];
      await settleJobs(t);
      const first = await notificationRows(t, ids);
      expect(first).toHaveLength(2 * approvedNotices.length);
      const rows = await outboxRows(t, ids);
      expect(rows).toHaveLength(6);
      expect(rows.every((r) => r.doneAt !== null && r.attempts === 0 && r.lastError === null)).toBe(true);
      expect(rows.every((r) => (r.dispatchedAt !== null) === bull)).toBe(true);

      // Settling again finds nothing to do; a row whose effect is recorded is never run again.
      const processor = t.app.get(NotificationProcessor);
      const processed = jest.spyOn(processor, 'process');
      expect(await t.app.get(OutboxDispatcher).drain()).toBe(0);
      await t.dataSource.query(`UPDATE outbox SET dispatched_at = NULL WHERE id IN (${rows.map((r) => r.id).join(',')})`);
      await settleJobs(t);
      expect(processed).not.toHaveBeenCalled();

      // Rows open again as if their effect had never been recorded: they run again and create nothing.
      const reopen = () =>
        t.dataSource.query(`UPDATE outbox SET dispatched_at = NULL, done_at = NULL WHERE id IN (${rows.map((r) => r.id).join(',')})`);
      await reopen();
      if (bull) {
        // Bull still holds the job ids and ignores the second add; once the lease runs out, the dispatcher runs them.
        await t.app.get(OutboxDispatcher).drain();
        expect(processed).not.toHaveBeenCalled();
        await at(
          t,
          () => new Date(Date.now() + t.config.jobs.leaseMs + 1000),
          () => settleJobs(t),
        );
        expect(processed).toHaveBeenCalledTimes(rows.length);
        // Once Bull has forgotten the jobs (removed), the same ids run on Bull again: the database is the guard.
        const queue = t.app.get(QueueGateway).queue(NOTIFICATIONS_QUEUE);
        for (const row of rows) await (await queue.getJob(`outbox:${row.id}`))!.remove();
        await reopen();
        await settleJobs(t);
        expect(processed).toHaveBeenCalledTimes(2 * rows.length);
      } else {
        await settleJobs(t);
        expect(processed).toHaveBeenCalledTimes(rows.length);
      }
      const runs = processed.mock.calls.map(([job]) => job.outboxId).sort((a, b) => a - b);
      expect(runs).toEqual(rows.flatMap((r) => (bull ? [r.id, r.id] : [r.id])));
      for (const call of processed.mock.results) expect(await call.value).toBe(0);
      expect(await notificationRows(t, ids)).toEqual(first);
      expect((await outboxRows(t, ids)).every((r) => r.doneAt !== null)).toBe(true);

      // The processor itself, called directly with a row's payload: the second call creates nothing.
      for (const row of rows) expect(await processor.process({ ...row.payload, outboxId: row.id } as PairingEventJob)).toBe(0);
      expect(await notificationRows(t, ids)).toEqual(first);
    });

    it('are created once when two workers run the same job at the same moment', async () => {
      const ids = [await approved(), await approved()];
      const rows = await outboxRows(t, ids);
      const processor = t.app.get(NotificationProcessor);
      const runs = await Promise.allSettled(
        rows.flatMap((row) => {
          const job = { ...row.payload, outboxId: row.id } as PairingEventJob;
          return [processor.process(job), processor.process(job)];
        }),
      );
      expect(runs.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);
      const created = runs.map((r) => (r as PromiseFulfilledResult<number>).value);
      expect(created.reduce((a, b) => a + b, 0)).toBe(2 * approvedNotices.length);
      await settleJobs(t);
      for (const id of ids) expect(await notified(id)).toEqual(approvedNotices);
    });

    it('are created by the first run of a job and by no later one', async () => {
      const { id } = await court.create('secretary');
      await court.do('secretary', id, { type: 'SUBMIT' });
      const submit = (await outboxRows(t, [id])).find((r) => r.payload.type === 'SUBMIT')!;
      expect(submit.doneAt).toBeNull();
      const processor = t.app.get(NotificationProcessor);
      const job = { ...submit.payload, outboxId: submit.id } as PairingEventJob;
      expect(await processor.process(job)).toBe(1);
      expect(await processor.process(job)).toBe(0);
      await Promise.all([processor.process(job), processor.process(job)]).then((n) => expect(n).toEqual([0, 0]));
      await settleJobs(t);
      expect(await notified(id)).toEqual([
        [1, 'deputy', 'WAITING'],
        [2, 'committee', 'WAITING'],
      ]);
    });
  });

  describe('the deadline sweep (Clock moved by the test)', () => {
    const sweep = () => t.app.get(DeadlineSweeper).sweep();
    const swept = (when: Date) => at(t, when, sweep);
    /** Notifications of a pairing from the sweep (not from events): [kind, user]. */
    const sweepNotices = async (pairingId: number) =>
      (await notificationRows(t, [pairingId]))
        .filter((n) => !n.dedupeKey.startsWith('event:'))
        .map((n) => [n.kind, names.get(n.userId)!])
        .sort(byTuple);

    it('reminds the committee before a 7-day decision falls due and tells it once when it is overdue', async () => {
      const { id } = await court.create('secretary');
      const submitted = Date.now();
      await at(t, new Date(submitted), () => court.do('secretary', id, { type: 'SUBMIT' }));
      const [task] = await court.tasks('committee', id);
      expect(Date.parse(task.dueAt!)).toBe(submitted + 7 * DAY_MS);

      // More than three days before the due date: nothing yet.
      await swept(new Date(submitted + 4 * DAY_MS - 60_000));
      expect(await sweepNotices(id)).toEqual([]);
      // Within three days of it: one reminder, however often the sweep runs.
      await swept(new Date(submitted + 4 * DAY_MS + 60_000));
      await swept(new Date(submitted + 5 * DAY_MS));
      expect(await sweepNotices(id)).toEqual([['REMINDER', 'committee']]);
      // Due, not yet past: no overdue notice.
      await swept(new Date(submitted + 7 * DAY_MS - 1));
      expect(await sweepNotices(id)).toEqual([['REMINDER', 'committee']]);
      // Past due: one overdue notice to the committee, however often the sweep runs.
      await swept(new Date(submitted + 7 * DAY_MS + 60_000));
      await swept(new Date(submitted + 8 * DAY_MS));
      await Promise.all([swept(new Date(submitted + 9 * DAY_MS)), swept(new Date(submitted + 9 * DAY_MS))]);
      expect(await sweepNotices(id)).toEqual([
        ['OVERDUE', 'committee'],
        ['REMINDER', 'committee'],
      ]);
      // The committee sees both beside the event's own notice; the pairing itself did not move.
      await settleJobs(t);
      const res = await t
        .http()
        .get('/api/notifications')
        .set(auth(await court.token('committee')))
        .expect(200);
      expect(res.body.items.filter((n: { pairingId: number }) => n.pairingId === id).map((n: { kind: string }) => n.kind)).toEqual(
        expect.arrayContaining(['OVERDUE', 'REMINDER', 'WAITING']),
      );
      expect(await court.view('auditor', id)).toMatchObject({ state: 'proposed', version: 2 });
      // A decision taken closes the task: no notices about it any more.
      await court.do('committee', id, { type: 'APPROVE' });
      await swept(new Date(submitted + 30 * DAY_MS));
      expect(await sweepNotices(id)).toHaveLength(2);
    });

    it('sends each reminder and overdue notice once when two sweeps run at the same moment', async () => {
      const ids: number[] = [];
      for (let i = 0; i < 3; i++) {
        const { id } = await court.create('secretary');
        await court.do('secretary', id, { type: 'SUBMIT' });
        ids.push(id);
      }
      const submitted = Date.now();
      for (const day of [5, 8]) {
        const when = new Date(submitted + day * DAY_MS);
        const results = await at(t, when, () => Promise.allSettled([sweep(), sweep(), sweep()]));
        expect(results.map((r) => (r.status === 'rejected' ? String(r.reason) : r.status))).toEqual([
          'fulfilled',
          'fulfilled',
          'fulfilled',
        ]);
      }
      for (const id of ids)
        expect(await sweepNotices(id)).toEqual([
          ['OVERDUE', 'committee'],
          ['REMINDER', 'committee'],
        ]);
    });

    it('raises QUARTER_OVERDUE as the system once a quarter ended without a report more than 15 days ago', async () => {
      const year = court.year;
      const utc = (date: string, time = '02:00') => new Date(`${date}T${time}:00.000Z`); // 10:00 in Asia/Shanghai
      // The plan is accepted on 20 January, so Q1 counts.
      const id = await at(t, utc(`${year}-01-20`), async () => {
        const { id } = await court.create('secretary');
        for (const [as, body] of [
          ['secretary', { type: 'SUBMIT' }],
          ['committee', { type: 'APPROVE' }],
          ['secretary', { type: 'SIGN_AGREEMENT', ...agreement(year) }],
          ['secretary', { type: 'FILE_PLAN', ...plan(year, 1) }],
          ['committee', { type: 'ACCEPT_PLAN' }],
        ] as const)
          await court.do(as, id, body);
        return id as number;
      });
      const accepted = await court.view('auditor', id);
      expect(accepted).toMatchObject({ state: 'active.collecting', quarter: 1, version: 6, overdueQuarters: [] });

      // 13 April: the Q1 report (due 15 April) is close: the secretaries are reminded; nothing is flagged.
      await swept(utc(`${year}-04-13`));
      expect(await sweepNotices(id)).toEqual([
        ['REMINDER', 'deputy'],
        ['REMINDER', 'secretary'],
      ]);
      // 15 April, 23:00 in Shanghai: the due date itself is not late yet.
      await swept(utc(`${year}-04-15`, '15:00'));
      expect(await court.view('auditor', id)).toMatchObject({ version: 6, overdueQuarters: [] });

      // 16 April: late. Swept twice (and twice at once): flagged once.
      const results = [await swept(utc(`${year}-04-16`))];
      results.push(await swept(utc(`${year}-04-16`, '03:00')));
      results.push(...(await Promise.all([swept(utc(`${year}-04-17`)), swept(utc(`${year}-04-17`))])));
      const flagged = await court.view('auditor', id);
      expect(flagged).toMatchObject({ state: 'active.collecting', quarter: 1, version: 7, overdueQuarters: [1] });
      const history = await court.history(id);
      expect(history).toHaveLength(7);
      expect(history[6]).toMatchObject({
        seq: 7,
        type: 'QUARTER_OVERDUE',
        actorId: null,
        fromState: 'active.collecting',
        toState: 'active.collecting',
        payload: { quarter: 1 },
      });
      expect(results[0].quartersFlagged).toBeGreaterThanOrEqual(1);
      // The task's own overdue notice went to the committee and the secretaries, once each.
      expect(await sweepNotices(id)).toEqual([
        ['OVERDUE', 'committee'],
        ['OVERDUE', 'deputy'],
        ['OVERDUE', 'secretary'],
        ['REMINDER', 'deputy'],
        ['REMINDER', 'secretary'],
      ]);
      await settleJobs(t);
      expect((await notified(id)).filter(([seq]) => seq === 7)).toEqual([
        [7, 'committee', 'OVERDUE'],
        [7, 'deputy', 'OVERDUE'],
        [7, 'secretary', 'OVERDUE'],
      ]);

      // July: Q2 is late too — flagged on its own, Q1 not again.
      await swept(utc(`${year}-07-20`));
      await swept(utc(`${year}-07-21`));
      expect(await court.view('auditor', id)).toMatchObject({ version: 8, overdueQuarters: [1, 2], quarter: 1 });
      expect((await court.history(id)).slice(7).map((e) => [e.type, e.actorId, e.payload])).toEqual([
        ['QUARTER_OVERDUE', null, { quarter: 2 }],
      ]);
    });

    it('never flags a quarter that ended before the plan was accepted', async () => {
      const year = court.year;
      const utc = (date: string) => new Date(`${date}T02:00:00.000Z`);
      const drive = async (acceptOn: Date | null) => {
        const { id } = await court.create('secretary');
        await court.do('secretary', id, { type: 'SUBMIT' });
        await court.do('committee', id, { type: 'APPROVE' });
        await court.do('secretary', id, { type: 'SIGN_AGREEMENT', ...agreement(year) });
        await court.do('secretary', id, { type: 'FILE_PLAN', ...plan(year, 1) });
        if (acceptOn) await at(t, acceptOn, () => court.do('committee', id, { type: 'ACCEPT_PLAN' }));
        else await court.do('committee', id, { type: 'ACCEPT_PLAN' });
        return id as number;
      };
      // Accepted on 10 May: Q1 had ended; Q2–Q4 had not.
      const may = await drive(utc(`${year}-05-10`));
      // Accepted today: every quarter of last year had ended.
      const today = await drive(null);

      await swept(utc(`${year}-04-20`));
      expect(await court.view('auditor', may)).toMatchObject({ version: 6, overdueQuarters: [] });
      for (let i = 0; i < 2; i++) await swept(utc(`${year + 1}-02-01`));
      await swept(new Date());
      await swept(new Date(Date.now() + 400 * DAY_MS));
      expect(await court.view('auditor', may)).toMatchObject({ version: 9, overdueQuarters: [2, 3, 4], quarter: 1 });
      expect(
        (await court.history(may))
          .filter((e) => e.type === 'QUARTER_OVERDUE')
          .map((e) => [e.payload.quarter, e.actorId, e.fromState, e.toState]),
      ).toEqual([2, 3, 4].map((q) => [q, null, 'active.collecting', 'active.collecting']));
      expect(await court.view('auditor', today)).toMatchObject({ version: 6, overdueQuarters: [] });
      expect((await court.history(today)).map((e) => e.type)).not.toContain('QUARTER_OVERDUE');
    });

    it('leaves reported quarters and finished pairings alone', async () => {
      const view = await court.driveTo('yearEndReview');
      await swept(new Date(Date.now() + 400 * DAY_MS));
      expect(await court.view('auditor', view.id)).toMatchObject({ version: view.version, overdueQuarters: [] });
    });
  });

  describe('the outbox', () => {
    /** The notification counts each outbox row should have produced. */
    async function expectEachRowOnce(ids: number[], rows: OutboxView[]) {
      const notifications = await notificationRows(t, ids);
      expect(duplicates(notifications.map((n) => n.dedupeKey))).toEqual([]);
      for (const id of ids) expect(await notified(id)).toEqual(approvedNotices);
      expect((await outboxRows(t, ids)).map((r) => [r.id, r.doneAt !== null, r.attempts])).toEqual(rows.map((r) => [r.id, true, 0]));
    }

    /** Twenty approved pairings: 60 outbox rows, more than one claim batch. */
    async function backlog(): Promise<{ ids: number[]; rows: OutboxView[] }> {
      const ids = await pool(
        Array.from({ length: 20 }, (_, i) => i),
        engine === 'mysql' ? 8 : 1,
        () => approved(),
      );
      const rows = await outboxRows(t, ids);
      expect(rows).toHaveLength(60);
      expect(rows.every((r) => r.doneAt === null)).toBe(true);
      return { ids, rows };
    }

    it('hands each row on once when dispatchers race in one process', async () => {
      await settleJobs(t);
      const { ids, rows } = await backlog();
      const dispatcher = t.app.get(OutboxDispatcher);
      const enqueued = bull ? jest.spyOn(t.app.get(QueueGateway), 'enqueue') : null;
      const processed = jest.spyOn(t.app.get(NotificationProcessor), 'process');

      const counts = await Promise.all([dispatcher.drain(), dispatcher.drain(), dispatcher.drain()]);
      expect(counts.reduce((a, b) => a + b, 0)).toBe(rows.length);
      await settleJobs(t);

      if (enqueued) expect(enqueued.mock.calls.map((c) => c[3]).sort()).toEqual(rows.map((r) => `outbox:${r.id}`).sort());
      expect(processed.mock.calls.map(([job]) => job.outboxId).sort((a, b) => a - b)).toEqual(rows.map((r) => r.id));
      await expectEachRowOnce(ids, rows);
    });

    // Several processes share a database only on MySQL (SPEC §2: PROCESS_ROLE api/worker need it).
    const onMysql = engine === 'mysql' ? it : () => undefined;
    onMysql('hands each row on once when a second instance on the same database races', async () => {
      await settleJobs(t);
      const { ids, rows } = await backlog();
      // Another process of the same installation: same database, same Redis and prefix, its own Bull workers.
      let other: NestExpressApplication | null = null;
      try {
        other = await createApp({ ...t.config, processRole: bull ? 'worker' : 'all' });
        await other.init();
        const apps = [t.app, other];
        const enqueued = bull ? apps.map((app) => jest.spyOn(app.get(QueueGateway), 'enqueue')) : [];
        const processed = apps.map((app) => jest.spyOn(app.get(NotificationProcessor), 'process'));

        const counts = await Promise.all(apps.flatMap((app) => [app.get(OutboxDispatcher).drain(), app.get(OutboxDispatcher).drain()]));
        expect(counts.reduce((a, b) => a + b, 0)).toBe(rows.length);
        await settleJobs(t);
        if (bull) await eventually('both workers idle', () => queuesIdle(other!.get(QueueGateway)));

        if (bull) {
          const jobIds = enqueued.flatMap((spy) => spy.mock.calls.map((c) => c[3]));
          expect(jobIds.sort()).toEqual(rows.map((r) => `outbox:${r.id}`).sort());
        }
        const outboxIds = processed.flatMap((spy) => spy.mock.calls.map(([job]) => job.outboxId));
        expect(outboxIds.sort((a, b) => a - b)).toEqual(rows.map((r) => r.id));
        await expectEachRowOnce(ids, rows);
      } finally {
        await other?.close();
      }
    });

    it.each(['after writing its notifications', 'before doing anything'])(
      'retries a job whose processor throws %s, with one effect',
      async (when) => {
        await settleJobs(t);
        const id = await approved();
        const rows = await outboxRows(t, [id]);
        const approve = rows.find((r) => r.payload.type === 'APPROVE')!;
        const processor = t.app.get(NotificationProcessor);
        const real = processor.process.bind(processor);
        let failures = 0;
        const processed = jest.spyOn(processor, 'process').mockImplementation(async (job) => {
          const crash = job.outboxId === approve.id && failures === 0;
          if (crash && when === 'before doing anything') {
            failures++;
            throw new Error('worker crashed');
          }
          const created = await real(job);
          if (crash) {
            failures++;
            throw new Error('worker crashed');
          }
          return created;
        });

        // The failed attempt (in a Bull job, or in-process) is recorded on the row, whose effect rolled back
        // with it; the row waits out its backoff.
        await settleJobs(t);
        if (bull) {
          const job = (await t.app.get(QueueGateway).queue(NOTIFICATIONS_QUEUE).getJob(`outbox:${approve.id}`)) as Job;
          expect(await job.isFailed()).toBe(true);
          expect(job.failedReason).toContain('worker crashed');
        }
        const failed = (await outboxRows(t, [id])).find((r) => r.id === approve.id)!;
        expect(failed).toMatchObject({ doneAt: null, attempts: 1, claimedUntil: null, lastError: 'worker crashed' });
        expect(Date.parse(failed.availableAt)).toBeGreaterThan(Date.now());
        expect(await t.app.get(OutboxDispatcher).drain()).toBe(0);
        // Past the backoff the dispatcher runs it again (itself, also after a Bull job).
        await at(
          t,
          () => new Date(Date.now() + 60_000),
          () => settleJobs(t),
        );
        expect(failures).toBe(1);
        expect(processed.mock.calls.filter(([job]) => job.outboxId === approve.id)).toHaveLength(2);
        expect(await notified(id)).toEqual(approvedNotices);
        const after = (await outboxRows(t, [id])).find((r) => r.id === approve.id)!;
        expect(after).toMatchObject({ attempts: 1, lastError: null, doneAt: expect.any(String) });
      },
    );

    it('keeps a row whose run fails, with its attempts and error, and runs it again later; a job Redis refuses runs in-process', async () => {
      await settleJobs(t);
      const id = await approved();
      const rows = await outboxRows(t, [id]);
      const target = rows[1];
      let failed = 0;
      const fail = (outboxId: number) => {
        if (outboxId !== target.id || failed++ >= 2) return false;
        return true;
      };
      if (bull) {
        // Redis refuses every job: the dispatcher runs the rows itself, at once, and counts no failed attempt.
        jest.spyOn(t.app.get(QueueGateway), 'enqueue').mockRejectedValue(new Error('Redis did not accept the job in time'));
      }
      const processor = t.app.get(NotificationProcessor);
      const real = processor.process.bind(processor);
      jest.spyOn(processor, 'process').mockImplementation(async (job) => {
        if (fail(job.outboxId)) throw new Error('the database refused the statement');
        return real(job);
      });
      const dispatcher = t.app.get(OutboxDispatcher);
      await dispatcher.drain();
      let row = (await outboxRows(t, [id])).find((r) => r.id === target.id)!;
      expect(row).toMatchObject({ doneAt: null, dispatchedAt: null, attempts: 1, lastError: expect.stringContaining('refused') });
      expect((await outboxRows(t, [id])).filter((r) => r.id !== target.id).every((r) => r.doneAt !== null && r.attempts === 0)).toBe(true);
      const firstRetry = Date.parse(row.availableAt);
      await at(
        t,
        () => new Date(firstRetry + 1),
        () => dispatcher.drain(),
      );
      row = (await outboxRows(t, [id])).find((r) => r.id === target.id)!;
      expect(row).toMatchObject({ doneAt: null, attempts: 2 });
      // The backoff grows: 2 s, then 4 s.
      expect(Date.parse(row.availableAt) - firstRetry).toBeGreaterThanOrEqual(4000);
      await at(
        t,
        () => new Date(Date.now() + 10 * 60_000),
        () => settleJobs(t),
      );
      row = (await outboxRows(t, [id])).find((r) => r.id === target.id)!;
      expect(row).toMatchObject({ doneAt: expect.any(String), dispatchedAt: null, attempts: 2, lastError: null });
      expect(await notified(id)).toEqual(approvedNotices);
    });
  });
});
