import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import ActionButtons from '../components/ActionButtons';

afterEach(cleanup);

describe('ActionButtons', () => {
  it('shows exactly the available events, in lifecycle order', () => {
    const { container } = render(<ActionButtons lang="zh" availableEvents={['REJECT', 'APPROVE', 'RETURN']} onAction={() => undefined} />);
    const events = [...container.querySelectorAll('button[data-event]')].map((b) => b.getAttribute('data-event'));
    expect(events).toEqual(['APPROVE', 'RETURN', 'REJECT']);
    // antd puts a space between two Chinese characters in a button ("批 准").
    expect(screen.getByRole('button', { name: /批\s?准/ })).toBeTruthy();
    expect(container.querySelector('button[data-event="SUBMIT"]')).toBeNull();
  });

  it('calls back with the event type', () => {
    const onAction = vi.fn();
    render(<ActionButtons lang="zh" availableEvents={['SIGN_AGREEMENT']} onAction={onAction} />);
    fireEvent.click(screen.getByRole('button', { name: '签订共建协议书' }));
    expect(onAction).toHaveBeenCalledWith('SIGN_AGREEMENT');
  });

  it('shows blocked events disabled, with the reason in words', () => {
    const onAction = vi.fn();
    const { container } = render(
      <ActionButtons lang="zh" availableEvents={['RECORD_ACTIVITY']} blockedEvents={[{ type: 'URGE', code: 'URGED_RECENTLY' }]} onAction={onAction} />,
    );
    const urge = container.querySelector('button[data-event="URGE"]') as HTMLButtonElement;
    expect(urge.disabled).toBe(true);
    expect(urge.getAttribute('data-blocked')).toBe('URGED_RECENTLY');
    expect(container.textContent).toContain('24小时内已催办过');
    fireEvent.click(urge);
    expect(onAction).not.toHaveBeenCalled();
  });

  it('keeps a quarter report without a meeting usable, so a reason can be given', () => {
    const onAction = vi.fn();
    const { container } = render(
      <ActionButtons lang="zh" availableEvents={[]} blockedEvents={[{ type: 'SUBMIT_QUARTER_REPORT', code: 'QUARTER_REQUIREMENTS_NOT_MET' }]} onAction={onAction} />,
    );
    const btn = container.querySelector('button[data-event="SUBMIT_QUARTER_REPORT"]') as HTMLButtonElement;
    expect(btn.disabled).toBe(false);
    fireEvent.click(btn);
    expect(onAction).toHaveBeenCalledWith('SUBMIT_QUARTER_REPORT');
    expect(container.textContent).toContain('请填写未达标原因');
  });

  it('never shows system events and says when there is nothing to do', () => {
    const { container } = render(<ActionButtons lang="en" availableEvents={['QUARTER_OVERDUE']} onAction={() => undefined} />);
    expect(container.querySelector('button')).toBeNull();
    expect(container.textContent).toContain('Nothing for you to do');
  });

  it('names exactly the fields a blocked SUBMIT still lacks, by the form’s labels', () => {
    const { container } = render(
      <ActionButtons lang="zh" availableEvents={[]} blockedEvents={[{ type: 'SUBMIT', code: 'PROPOSAL_INCOMPLETE', missing: ['theme', 'partnerIds', 'liaisonUserId'] }]} onAction={() => undefined} />,
    );
    expect(container.textContent).toContain('提交申报：申报内容不完整，请填写：结对主题、共建单位、本支部联络员');
    expect(container.textContent).not.toContain('项目名称');
  });

  it('says why no activity can be recorded once the quarter is reported', () => {
    const { container } = render(
      <ActionButtons lang="zh" availableEvents={['SCORE_QUARTER']} blockedEvents={[{ type: 'RECORD_ACTIVITY', code: 'NO_OPEN_QUARTER' }]} onAction={() => undefined} />,
    );
    expect((container.querySelector('button[data-event="RECORD_ACTIVITY"]') as HTMLButtonElement).disabled).toBe(true);
    expect(container.textContent).toContain('登记活动：目前没有可登记活动的季度：本季度已报送，下一季度尚未开始');
  });
});
