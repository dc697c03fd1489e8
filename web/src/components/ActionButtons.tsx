import { Button, Tooltip, Typography } from 'antd';
import { ExclamationCircleOutlined } from '@ant-design/icons';
import type { BlockedEvent } from '../api/types';
import { codeText, missingText } from '../api/errors';
import type { Lang } from '../i18n';
import { eventLabel } from '../labels';

/** Display order: the step forward first, then side actions, then the destructive ones. */
export const EVENT_ORDER = [
  'SUBMIT',
  'APPROVE',
  'SIGN_AGREEMENT',
  'FILE_PLAN',
  'ACCEPT_PLAN',
  'RECORD_ACTIVITY',
  'SUBMIT_QUARTER_REPORT',
  'SCORE_QUARTER',
  'SUBMIT_REVIEW',
  'APPROVE_REVIEW',
  'COUNTERSIGN_AGREEMENT',
  'CONFIRM_ACTIVITY',
  'EVALUATE_PARTNERSHIP',
  'UPDATE_LIAISONS',
  'MIGRATE_WORKFLOW',
  'URGE',
  'VOID_ACTIVITY',
  'RECALL',
  'RETURN',
  'REJECT',
  'WITHDRAW',
  'TERMINATE',
];

const PRIMARY = new Set(['SUBMIT', 'APPROVE', 'SIGN_AGREEMENT', 'COUNTERSIGN_AGREEMENT', 'EVALUATE_PARTNERSHIP', 'FILE_PLAN', 'ACCEPT_PLAN', 'SUBMIT_QUARTER_REPORT', 'SCORE_QUARTER', 'SUBMIT_REVIEW', 'APPROVE_REVIEW']);
const DANGER = new Set(['REJECT', 'TERMINATE', 'WITHDRAW']);
/** Events the server never takes from a button (system-raised). */
const HIDDEN = new Set(['QUARTER_OVERDUE']);
/**
 * Blocks that the form itself can lift: a quarter without a joint meeting or an
 * activity day may still be reported with a shortfall reason, so that button
 * stays usable and its form asks for the reason.
 */
export const SOFT_BLOCKS = new Set(['QUARTER_REQUIREMENTS_NOT_MET']);

const rank = (t: string) => {
  const i = EVENT_ORDER.indexOf(t);
  return i < 0 ? EVENT_ORDER.length : i;
};

/** Why a step is blocked, in words: the fields a proposal still lacks, or the rule's plain text. */
export function blockReason(blocked: BlockedEvent, lang: Lang): string {
  return (blocked.code === 'PROPOSAL_INCOMPLETE' ? missingText(blocked.missing, lang) : null) ?? codeText(blocked.code, lang) ?? blocked.code;
}

interface Props {
  availableEvents?: string[] | null;
  blockedEvents?: BlockedEvent[] | null;
  onAction: (type: string) => void;
  lang: Lang;
  busy?: boolean;
}

/** Buttons for exactly the events the server says this user may send now; blocked ones disabled with the reason. */
export default function ActionButtons({ availableEvents, blockedEvents, onAction, lang, busy }: Props) {
  const available = [...new Set((availableEvents ?? []).filter((e) => !HIDDEN.has(e)))].sort((a, b) => rank(a) - rank(b));
  const blocked = (blockedEvents ?? []).filter((b) => b && !available.includes(b.type) && !HIDDEN.has(b.type));
  const soft = blocked.filter((b) => SOFT_BLOCKS.has(b.code));
  const hard = blocked.filter((b) => !SOFT_BLOCKS.has(b.code));

  if (available.length === 0 && blocked.length === 0) {
    return (
      <Typography.Text type="secondary" data-testid="no-actions">
        {lang === 'en' ? 'Nothing for you to do on this pairing now.' : '当前没有需要您办理的操作。'}
      </Typography.Text>
    );
  }

  return (
    <div>
      <div className="gj-actions" role="group" aria-label={lang === 'en' ? 'Actions' : '可办理的操作'}>
        {available.map((e) => (
          <Button
            key={e}
            type={PRIMARY.has(e) ? 'primary' : 'default'}
            danger={DANGER.has(e) || e === 'RETURN'}
            disabled={busy}
            onClick={() => onAction(e)}
            data-event={e}
          >
            {eventLabel(e, lang)}
          </Button>
        ))}
        {soft.map((b) => (
          <Tooltip key={`soft-${b.type}`} title={blockReason(b, lang)}>
            <Button type="primary" icon={<ExclamationCircleOutlined />} disabled={busy} onClick={() => onAction(b.type)} data-event={b.type} data-soft-blocked={b.code}>
              {eventLabel(b.type, lang)}
            </Button>
          </Tooltip>
        ))}
        {hard.map((b) => (
          <Tooltip key={`blocked-${b.type}`} title={blockReason(b, lang)}>
            <span>
              <Button disabled data-event={b.type} data-blocked={b.code} aria-label={`${eventLabel(b.type, lang)}：${blockReason(b, lang)}`}>
                {eventLabel(b.type, lang)}
              </Button>
            </span>
          </Tooltip>
        ))}
      </div>
      {blocked.length > 0 && (
        <ul style={{ margin: '8px 0 0', paddingInlineStart: 20 }} aria-live="polite">
          {blocked.map((b) => (
            <li key={`why-${b.type}`}>
              <Typography.Text type="warning">
                {eventLabel(b.type, lang)}
                {lang === 'en' ? ': ' : '：'}
                {blockReason(b, lang)}
              </Typography.Text>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
