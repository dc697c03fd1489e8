import { belongsInBulletin, BulletinInput, BulletinPairing, BulletinReport, buildBulletin, isQuarterOverdue } from './bulletin';

const pairing = (over: Partial<BulletinPairing> = {}): BulletinPairing => ({
  id: 1,
  year: 2025,
  code: 'GJ-2025-001',
  title: '诉源治理共建',
  state: 'active.collecting',
  leadBranchId: 4,
  coBranchIds: [],
  partnerIds: [1],
  quarterScores: [],
  startQuarter: 1,
  planAcceptedOn: '2025-01-20',
  overdueQuarters: [],
  ...over,
});

const report = (over: Partial<BulletinReport> = {}): BulletinReport => ({
  id: 1,
  pairingId: 1,
  status: 'submitted',
  requirementsMet: true,
  submittedAt: '2025-04-05T02:00:00.000Z',
  ...over,
});

const input = (over: Partial<BulletinInput> = {}): BulletinInput => ({
  year: 2025,
  quarter: 1,
  today: '2025-04-10',
  pairings: [pairing()],
  activities: [],
  reports: [],
  branchNames: new Map([
    [4, '立案庭党支部'],
    [7, '民一庭党支部'],
  ]),
  partnerNames: new Map([
    [1, '平湖仲裁委'],
    [2, '新埭镇司法所'],
  ]),
  ...over,
});

describe(belongsInBulletin.name, () => {
  it('lists pairings from approval on, and terminated ones only if they had been approved', () => {
    expect(belongsInBulletin('approved', false)).toBe(true);
    expect(belongsInBulletin('scored', false)).toBe(true);
    expect(belongsInBulletin('active.reportSubmitted', false)).toBe(true);
    expect(belongsInBulletin('terminated', true)).toBe(true);
    expect(belongsInBulletin('terminated', false)).toBe(false);
    for (const state of ['draft', 'proposed', 'returned', 'withdrawn', 'rejected'] as const) {
      expect(belongsInBulletin(state, true)).toBe(false);
    }
  });
});

describe(isQuarterOverdue.name, () => {
  it('is overdue once the due date (quarter end + 15 days) has passed without a report', () => {
    expect(isQuarterOverdue(pairing(), 1, false, '2025-04-15')).toBe(false);
    expect(isQuarterOverdue(pairing(), 1, false, '2025-04-16')).toBe(true);
    expect(isQuarterOverdue(pairing(), 1, true, '2025-12-31')).toBe(false);
    expect(isQuarterOverdue(pairing(), 4, false, '2026-01-16')).toBe(true);
  });

  it('stays overdue when the quarter was flagged, even after a late report', () => {
    expect(isQuarterOverdue(pairing({ overdueQuarters: [2] }), 2, true, '2025-08-01')).toBe(true);
    expect(isQuarterOverdue(pairing({ state: 'terminated', overdueQuarters: [2] }), 2, false, '2025-08-01')).toBe(true);
  });

  it('never counts quarters the pairing did not owe', () => {
    // Before the plan's first quarter, before the plan was accepted, not yet running, or terminated.
    expect(isQuarterOverdue(pairing({ startQuarter: 2 }), 1, false, '2025-12-31')).toBe(false);
    expect(isQuarterOverdue(pairing({ planAcceptedOn: '2025-05-01' }), 1, false, '2025-12-31')).toBe(false);
    expect(isQuarterOverdue(pairing({ planAcceptedOn: '2025-05-01' }), 2, false, '2025-07-16')).toBe(true);
    expect(isQuarterOverdue(pairing({ state: 'planFiled', planAcceptedOn: null }), 1, false, '2025-12-31')).toBe(false);
    expect(isQuarterOverdue(pairing({ state: 'approved', startQuarter: null, planAcceptedOn: null }), 1, false, '2025-12-31')).toBe(false);
    expect(isQuarterOverdue(pairing({ state: 'terminated' }), 1, false, '2025-12-31')).toBe(false);
  });
});

describe(buildBulletin.name, () => {
  it('is empty, with zero totals, for a quarter without pairings', () => {
    const { rows, totals } = buildBulletin(input({ pairings: [] }));
    expect(rows).toEqual([]);
    expect(totals).toMatchObject({ pairings: 0, activityCount: 0, reportsSubmitted: 0, scored: 0, averageScore: null, overdue: 0 });
    expect(Object.values(totals.activities).every((n) => n === 0)).toBe(true);
  });

  it('counts activities by kind and reads the standing report, score and names', () => {
    const { rows } = buildBulletin(
      input({
        pairings: [
          pairing({ coBranchIds: [7], partnerIds: [1, 2], quarterScores: [{ quarter: 1, score: 88.5 }], state: 'active.collecting' }),
        ],
        activities: [
          { pairingId: 1, kind: 'joint_meeting' },
          { pairingId: 1, kind: 'activity_day' },
          { pairingId: 1, kind: 'activity_day' },
          { pairingId: 1, kind: 'lecture' },
        ],
        reports: [report({ id: 1, status: 'returned', requirementsMet: false }), report({ id: 2, status: 'scored' })],
      }),
    );
    expect(rows[0]).toMatchObject({
      pairingId: 1,
      leadBranchName: '立案庭党支部',
      coBranchNames: ['民一庭党支部'],
      partnerNames: ['平湖仲裁委', '新埭镇司法所'],
      activityCount: 4,
      jointMeetingHeld: true,
      activityDayHeld: true,
      reportStatus: 'scored',
      reportSubmitted: true,
      requirementsMet: true,
      score: 88.5,
      reportDueDate: '2025-04-15',
      overdue: false,
      terminated: false,
    });
    expect(rows[0].activities).toMatchObject({ joint_meeting: 1, activity_day: 2, lecture: 1, party_lesson: 0, other: 0 });
  });

  it('treats a returned report as no report: the quarter is open again and can be overdue', () => {
    const { rows } = buildBulletin(
      input({
        today: '2025-05-01',
        reports: [report({ status: 'returned', requirementsMet: true })],
        activities: [{ pairingId: 1, kind: 'joint_meeting' }],
      }),
    );
    expect(rows[0]).toMatchObject({
      reportStatus: 'returned',
      reportSubmitted: false,
      reportSubmittedAt: null,
      requirementsMet: false,
      overdue: true,
    });
  });

  it('keeps the report’s own requirementsMet (a shortfall report)', () => {
    const { rows } = buildBulletin(input({ reports: [report({ requirementsMet: false })] }));
    expect(rows[0]).toMatchObject({ reportStatus: 'submitted', requirementsMet: false, jointMeetingHeld: false });
  });

  it('orders rows by code and totals them, the average score in decimal half-up', () => {
    const { rows, totals } = buildBulletin(
      input({
        today: '2025-06-30',
        pairings: [
          pairing({ id: 3, code: 'GJ-2025-010', quarterScores: [{ quarter: 1, score: 85.3 }] }),
          pairing({ id: 1, code: 'GJ-2025-002', quarterScores: [{ quarter: 1, score: 85.4 }] }),
          pairing({ id: 2, code: 'GJ-2025-003', state: 'terminated' }),
          pairing({ id: 4, code: 'GJ-2025-004', state: 'approved', startQuarter: null, planAcceptedOn: null }),
        ],
        activities: [
          { pairingId: 1, kind: 'joint_meeting' },
          { pairingId: 1, kind: 'activity_day', confirmed: true },
          { pairingId: 3, kind: 'joint_meeting', confirmed: true },
          { pairingId: 2, kind: 'other' },
        ],
        reports: [
          report({ id: 5, pairingId: 1, status: 'scored' }),
          report({ id: 6, pairingId: 3, status: 'scored', requirementsMet: false }),
        ],
      }),
    );
    expect(rows.map((r) => r.code)).toEqual(['GJ-2025-002', 'GJ-2025-003', 'GJ-2025-004', 'GJ-2025-010']);
    expect(rows.map((r) => r.overdue)).toEqual([false, false, false, false]);
    // 双方确认 (SPEC §12): the activities a partner confirmed, per pairing and in all.
    expect(rows.map((r) => r.confirmedActivities)).toEqual([1, 0, 0, 1]);
    expect(totals).toEqual({
      pairings: 4,
      terminated: 1,
      activities: expect.objectContaining({ joint_meeting: 2, activity_day: 1, other: 1 }),
      activityCount: 4,
      confirmedActivities: 2,
      jointMeetingHeld: 2,
      activityDayHeld: 1,
      reportsSubmitted: 2,
      requirementsMet: 1,
      scored: 2,
      averageScore: 85.35,
      overdue: 0,
    });
  });
});
