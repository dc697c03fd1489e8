import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import EventModal from '../components/EventModal';
import type { Pairing } from '../api/types';
import { setCalendar } from '../dates';
import { fakeFetch, renderWithApp } from './render';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  setCalendar(null);
});

const pairing = (extra: Partial<Pairing> = {}): Pairing => ({
  id: 7,
  code: 'GJ-2026-007',
  year: 2026,
  title: '立案庭—社会治理中心结对',
  theme: '诉源治理',
  problem: '诉前化解率偏低',
  mode: 'voluntary',
  leadBranchId: 4,
  partnerIds: [4],
  categories: ['organization'],
  state: 'active.reportSubmitted',
  quarter: 3,
  version: 12,
  plan: { startQuarter: 3, items: [] },
  availableEvents: ['SCORE_QUARTER'],
  reports: [{ id: 1, quarter: 3, status: 'submitted', summary: '第三季度情况', requirementsMet: true }],
  compliance: [
    { quarter: 3, reportSubmitted: true, jointMeetings: 1, activityDays: 1 },
    { quarter: 4, reportSubmitted: false, jointMeetings: 0, activityDays: 0 },
  ],
  ...extra,
});

const modal = (p: Pairing, type: string) =>
  renderWithApp(<EventModal pairing={p} version={Number(p.version)} type={type} onClose={() => undefined} onDone={() => undefined} />);

const confirm = () => fireEvent.click(within(document.querySelector('.ant-modal-footer') as HTMLElement).getByRole('button', { name: /确\s?定/ }));

describe('the score field', () => {
  it('sends a score outside 0–100 exactly as typed and shows the server’s field message beside it', async () => {
    const calls = fakeFetch((method, path) =>
      method === 'POST' && path === '/api/pairings/7/events'
        ? { status: 400, body: { statusCode: 400, code: 'VALIDATION_FAILED', message: 'bad', details: [{ field: 'score', messages: ['score must not be greater than 100'] }] } }
        : undefined,
    );
    modal(pairing(), 'SCORE_QUARTER');
    const input = document.querySelector('#score') as HTMLInputElement;
    fireEvent.change(input, { target: { value: '105' } });
    fireEvent.blur(input);
    expect(input.value).toBe('105');
    confirm();
    await screen.findByText('不能大于100');
    const sent = calls.find((c) => c.method === 'POST')!;
    expect(sent.body).toEqual({ type: 'SCORE_QUARTER', score: 105 });
    expect(sent.headers['If-Match']).toBe('"12"');
    // Never rounded or clamped: the field still holds what was typed.
    expect((document.querySelector('#score') as HTMLInputElement).value).toBe('105');
  });

  it('keeps two decimals as typed for the server to refuse', async () => {
    const calls = fakeFetch(() => ({
      status: 400,
      body: { statusCode: 400, code: 'VALIDATION_FAILED', message: 'bad', details: [{ field: 'score', messages: ['score must be a number with at most one decimal'] }] },
    }));
    modal(pairing(), 'SCORE_QUARTER');
    fireEvent.change(document.querySelector('#score')!, { target: { value: '92.55' } });
    confirm();
    await screen.findByText('最多保留一位小数');
    expect(calls.find((c) => c.method === 'POST')!.body).toEqual({ type: 'SCORE_QUARTER', score: 92.55 });
  });
});

describe('recording an activity', () => {
  it('says which quarters still take activities, from the server’s quarter table', () => {
    setCalendar({ timezone: 'Asia/Shanghai', utcOffset: 'UTC+8', today: '2026-11-20', year: 2026, quarter: 4 });
    fakeFetch(() => undefined);
    modal(pairing({ state: 'active.collecting', quarter: 4, availableEvents: ['RECORD_ACTIVITY'] }), 'RECORD_ACTIVITY');
    expect(screen.getByTestId('open-quarters').textContent).toContain('可登记第4季度的活动（日期不晚于今天 2026-11-20）');
    expect((document.querySelector('#heldOn') as HTMLInputElement).value).toBe('2026-11-20');
  });

  it('says why not when the current quarter is reported and the next has not begun', () => {
    setCalendar({ timezone: 'Asia/Shanghai', utcOffset: 'UTC+8', today: '2026-09-20', year: 2026, quarter: 3 });
    fakeFetch(() => undefined);
    modal(pairing({ availableEvents: ['RECORD_ACTIVITY'] }), 'RECORD_ACTIVITY');
    expect(screen.getByTestId('open-quarters').textContent).toContain('目前没有可登记活动的季度');
    expect(screen.queryByText(/不早于第/)).toBeNull();
  });

  it('shows a refused date beside the date field', async () => {
    setCalendar({ timezone: 'Asia/Shanghai', utcOffset: 'UTC+8', today: '2026-11-20', year: 2026, quarter: 4 });
    fakeFetch(() => ({ status: 422, body: { statusCode: 422, code: 'ACTIVITY_DATE_INVALID', message: 'heldOn' } }));
    modal(pairing({ state: 'active.collecting', quarter: 4, availableEvents: ['RECORD_ACTIVITY'] }), 'RECORD_ACTIVITY');
    confirm();
    await waitFor(() => {
      const beside = screen.getAllByText(/活动日期有误/).find((el) => el.closest('.ant-form-item-explain'));
      expect(beside?.closest('.ant-form-item')?.querySelector('#heldOn')).toBeTruthy();
    });
  });
});

describe('a typed activity date', () => {
  it('is sent as typed, a future one too, and the server’s refusal shows beside it (never silently replaced by today)', async () => {
    setCalendar({ timezone: 'Asia/Shanghai', utcOffset: 'UTC+8', today: '2026-11-20', year: 2026, quarter: 4 });
    const calls = fakeFetch((method) =>
      method === 'POST' ? { status: 422, body: { statusCode: 422, code: 'DATE_IN_FUTURE', message: 'heldOn' } } : undefined,
    );
    modal(pairing({ state: 'active.collecting', quarter: 4, availableEvents: ['RECORD_ACTIVITY'] }), 'RECORD_ACTIVITY');
    const held = document.querySelector('#heldOn') as HTMLInputElement;
    expect(held.value).toBe('2026-11-20');
    fireEvent.mouseDown(held);
    fireEvent.change(held, { target: { value: '2026-11-25' } });
    fireEvent.keyDown(held, { key: 'Enter', code: 'Enter' });
    fireEvent.blur(held);
    expect(held.value).toBe('2026-11-25');
    confirm();
    await waitFor(() => expect(calls.some((c) => c.method === 'POST')).toBe(true));
    expect(calls.find((c) => c.method === 'POST')!.body).toMatchObject({ type: 'RECORD_ACTIVITY', heldOn: '2026-11-25' });
    await waitFor(() => {
      const beside = document.querySelector('.ant-form-item-has-error #heldOn');
      expect(beside).toBeTruthy();
    });
  });
});

describe('filing the plan', () => {
  it('warns beside a due date that has already passed', async () => {
    setCalendar({ timezone: 'Asia/Shanghai', utcOffset: 'UTC+8', today: '2026-12-01', year: 2026, quarter: 4 });
    fakeFetch(() => undefined);
    modal(pairing({ state: 'agreementSigned', availableEvents: ['FILE_PLAN'], plan: null }), 'FILE_PLAN');
    // Generated for Q4 (this year's current quarter): due 2026-12-31, not passed yet.
    expect(screen.queryByText('该完成时限已过')).toBeNull();
    const due = document.querySelector('#items_0_dueDate') as HTMLInputElement;
    expect(due.value).toBe('2026-12-31');
    fireEvent.mouseDown(due);
    fireEvent.change(due, { target: { value: '2026-11-30' } });
    fireEvent.keyDown(due, { key: 'Enter', code: 'Enter' });
    await waitFor(() => expect(screen.getAllByText('该完成时限已过').length).toBe(1));
  });
});

describe('submitting the proposal', () => {
  it('names exactly the fields a refused SUBMIT still lacks', async () => {
    fakeFetch(() => ({
      status: 422,
      body: { statusCode: 422, code: 'PROPOSAL_INCOMPLETE', message: 'incomplete', details: { missing: ['theme', 'liaisonUserId'] } },
    }));
    modal(pairing({ state: 'draft', availableEvents: ['SUBMIT'] }), 'SUBMIT');
    confirm();
    expect(await screen.findByText('申报内容不完整，请填写：结对主题、本支部联络员')).toBeTruthy();
  });
});

describe('moving a pairing to another workflow version', () => {
  it.each([
    [1, 2, '共建单位可会签协议'],
    [2, 3, '新环节可立即催办'],
  ])('moves a version %i pairing to version %i and says what changes', async (from, to, says) => {
    const calls = fakeFetch((method, path) =>
      method === 'POST' && path === '/api/pairings/7/events' ? { status: 200, body: pairing({ workflowVersion: to }) } : undefined,
    );
    modal(pairing({ state: 'planFiled', workflowVersion: from, availableEvents: ['MIGRATE_WORKFLOW'] }), 'MIGRATE_WORKFLOW');
    expect(document.body.textContent).toContain(says);
    fireEvent.change(document.querySelector('#comment') as HTMLTextAreaElement, { target: { value: '按新流程运行' } });
    confirm();
    await waitFor(() => expect(calls.some((c) => c.method === 'POST')).toBe(true));
    expect(calls.find((c) => c.method === 'POST')!.body).toEqual({ type: 'MIGRATE_WORKFLOW', toVersion: to, comment: '按新流程运行' });
  });
});

describe('a refused agreement with fields left empty', () => {
  it('puts one plain message beside each empty field, with no raw field names or [object Object]', async () => {
    fakeFetch((method, path) =>
      method === 'POST' && path === '/api/pairings/7/events'
        ? {
            status: 400,
            body: {
              statusCode: 400,
              code: 'VALIDATION_FAILED',
              message: 'Some fields are not valid.',
              details: [
                { field: 'content', messages: ['content must be a string', 'content must not be blank', 'content must be shorter than or equal to 10000 characters'] },
                { field: 'requirements', messages: ['requirements must be a string', 'requirements must not be blank'] },
              ],
            },
          }
        : undefined,
    );
    modal(pairing({ state: 'approved', availableEvents: ['SIGN_AGREEMENT'] }), 'SIGN_AGREEMENT');
    confirm();
    await screen.findByText('填写内容有误，请检查标红的项目');
    const dialog = document.querySelector('.ant-modal') as HTMLElement;
    expect(dialog.textContent).not.toContain('[object Object]');
    expect(dialog.textContent).not.toMatch(/content|requirements/);
    expect(dialog.textContent).not.toContain('须为文字');
    expect(within(dialog).getAllByText('此项不能为空')).toHaveLength(2);
    // Filling one in takes its message away at once.
    fireEvent.change(document.querySelector('#content') as HTMLTextAreaElement, { target: { value: '联席会议、共建活动日' } });
    await waitFor(() => expect(within(dialog).getAllByText('此项不能为空')).toHaveLength(1));
  });
});

describe('a quarter report with an indicator value that is not a number', () => {
  it('shows the server’s message beside that indicator, though only filled-in values were sent', async () => {
    const calls = fakeFetch((method, path) =>
      method === 'POST' && path === '/api/pairings/7/events'
        ? {
            status: 400,
            body: { statusCode: 400, code: 'VALIDATION_FAILED', message: 'bad', details: [{ field: 'indicatorValues.0.value', messages: ['value must be a finite number'] }] },
          }
        : undefined,
    );
    const p = pairing({
      state: 'active.collecting',
      availableEvents: ['SUBMIT_QUARTER_REPORT'],
      plan: {
        startQuarter: 3,
        items: [],
        indicators: [
          { name: '平均审理天数', unit: '天', baseline: 60, higherIsBetter: false },
          { name: '诉前化解率', unit: '%', baseline: 35, higherIsBetter: true },
        ],
      },
    } as Partial<Pairing>);
    modal(p, 'SUBMIT_QUARTER_REPORT');
    fireEvent.change(document.querySelector('#summary') as HTMLTextAreaElement, { target: { value: '本季度情况' } });
    fireEvent.change(document.querySelector('#indicatorValues_1') as HTMLInputElement, { target: { value: '四十' } });
    confirm();
    const msg = await screen.findByText('须为数字');
    expect(calls.find((c) => c.method === 'POST')!.body).toMatchObject({ indicatorValues: [{ name: '诉前化解率', value: '四十' }] });
    // Beside the second indicator's field, not the first.
    expect(msg.closest('.ant-form-item')!.textContent).toContain('诉前化解率');
  });
});
