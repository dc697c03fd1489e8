import { readerLanguage, renderNotice } from './notification-text';

describe(renderNotice.name, () => {
  const pairing = { code: 'GJ-2026-003', title: '立案庭—社会治理中心结对共建' };

  it('names the quarter of a quarter task, in either language', () => {
    const params = {
      ...pairing,
      event: 'SCORE_QUARTER',
      toState: 'active.collecting',
      quarter: 3,
      task: 'SUBMIT_QUARTER_REPORT',
      comment: '资料齐全',
    };
    expect(renderNotice('DECISION', params, 'zh')).toEqual({
      title: 'GJ-2026-003 季度评分',
      body: '「立案庭—社会治理中心结对共建」：季度评分，当前状态：季度活动中。意见：资料齐全。待您办理：报送季度报告（第3季度）。',
    });
    expect(renderNotice('DECISION', params, 'en')).toEqual({
      title: 'GJ-2026-003 Score quarter',
      body: '“立案庭—社会治理中心结对共建”: Score quarter; now Collecting activities. Comment: 资料齐全. Waiting for you: Submit the quarter report (Q3).',
    });
  });

  it('tells of deadlines with their due date', () => {
    const due = { ...pairing, task: 'REVIEW_PROPOSAL', dueOn: '2026-12-08' };
    expect(renderNotice('REMINDER', due, 'zh')).toEqual({
      title: 'GJ-2026-003 即将到期：审批结对申报',
      body: '「立案庭—社会治理中心结对共建」的待办将于 2026-12-08 到期，请及时办理。',
    });
    expect(renderNotice('OVERDUE', due, 'en').title).toBe('GJ-2026-003 overdue: Review the proposal');
    expect(renderNotice('OVERDUE', { ...pairing, event: 'QUARTER_OVERDUE', quarter: 2, task: 'SUBMIT_QUARTER_REPORT' }, 'zh')).toEqual({
      title: 'GJ-2026-003 第2季度报告已逾期',
      body: '「立案庭—社会治理中心结对共建」第2季度报告应在季度结束后15日内报送，至今未报送。待您办理：报送季度报告（第2季度）。',
    });
  });

  it('calls a return’s comment its reason and copies leaders plainly', () => {
    expect(renderNotice('DECISION', { ...pairing, event: 'RETURN', toState: 'returned', comment: '请细化目标。' }, 'zh').body).toBe(
      '「立案庭—社会治理中心结对共建」：退回修改，当前状态：已退回。理由：请细化目标。',
    );
    expect(renderNotice('COPY', { ...pairing, event: 'APPROVE_REVIEW', toState: 'scored' }, 'en').title).toBe(
      'Copy: GJ-2026-003 Score review',
    );
  });
});

describe(readerLanguage.name, () => {
  it('takes an explicit choice first, then the first Accept-Language, else Chinese', () => {
    expect(readerLanguage('en', 'zh-CN')).toBe('en');
    expect(readerLanguage(undefined, 'en-US,en;q=0.9')).toBe('en');
    expect(readerLanguage(undefined, 'zh-CN,en;q=0.5')).toBe('zh');
    expect(readerLanguage(undefined, undefined)).toBe('zh');
  });
});
