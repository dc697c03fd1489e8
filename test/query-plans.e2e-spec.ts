/**
 * Statements that run on every transition find their rows by index, on both engines: a scan would grow slower
 * with every row ever written (and on MySQL lock every row it read).
 */
import { ANSWERED_NOTICES } from '../src/notifications/notifications.service';
import { Court } from './support/pairing-flow';
import { engines, settleJobs, startTestApp, TestApp } from './support/test-app';

jest.setTimeout(60_000);

describe.each(engines())('Query plans on %s', (engine) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp(engine);
    const court = await Court.open(t);
    for (let i = 0; i < 3; i++) await court.do('secretary', (await court.create()).id, { type: 'SUBMIT' });
    await settleJobs(t); // the committee's notices of the submissions
  });
  afterAll(() => t?.close());

  /** The index a statement reads its rows through, or null for a scan of the whole table. */
  async function indexOf(sql: string, params: unknown[]): Promise<string | null> {
    if (engine === 'sqlite') {
      const plan: { detail: string }[] = await t.dataSource.query(`EXPLAIN QUERY PLAN ${sql}`, params);
      return /USING (?:COVERING )?INDEX (\w+)/.exec(plan.map((step) => step.detail).join('\n'))?.[1] ?? null;
    }
    const [plan]: { key: string | null; type: string }[] = await t.dataSource.query(`EXPLAIN ${sql}`, params);
    return plan.type === 'ALL' ? null : plan.key;
  }

  it('finds the notices a pairing’s step has answered through the index of its open notices', async () => {
    const [{ n }] = await t.dataSource.query('SELECT COUNT(*) AS n FROM `notification`');
    expect(Number(n)).toBeGreaterThan(0);
    expect(await indexOf(ANSWERED_NOTICES, [1, 5, new Date().toISOString()])).toBe('ix_notification_pairing_open');
  });
});
