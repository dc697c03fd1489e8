import { EVENT_LABELS, labelOf, Lang, STATE_LABELS, TASK_LABELS } from '../../workflows';

/** Why a person is told: the notice's kind. One notice per person and event carries the strongest reason. */
export const NOTICE_KINDS = ['DECISION', 'URGED', 'OVERDUE', 'WAITING', 'REMINDER', 'COPY'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/**
 * What a notice is made of, kept with it so each reader gets it in their own language: the pairing as it
 * was named then, the event, the reason its sender gave, and what the reader is now asked to do.
 */
export interface NoticeParams {
  code: string;
  title: string;
  event?: string | null;
  toState?: string | null;
  quarter?: number | null;
  /** The comment or reason the event was sent with (a return's reason, a score's remark …). */
  comment?: string | null;
  /** The task (the machine's state meta) now waiting on the reader. */
  task?: string | null;
  /** The due date (YYYY-MM-DD, APP_TIMEZONE) a deadline notice is about. */
  dueOn?: string | null;
}

export interface NoticeText {
  title: string;
  body: string;
}

/** Events whose comment is a reason the decision rests on, not a remark. */
const REASONED = new Set(['RETURN', 'REJECT', 'TERMINATE', 'WITHDRAW', 'VOID_ACTIVITY']);
const QUARTER_TASKS = new Set(['SUBMIT_QUARTER_REPORT', 'SCORE_QUARTER']);

function taskText(p: NoticeParams, lang: Lang): string | null {
  if (!p.task) return null;
  const label = labelOf(TASK_LABELS, p.task, lang);
  if (!p.quarter || !QUARTER_TASKS.has(p.task)) return label;
  return lang === 'en' ? `${label} (Q${p.quarter})` : `${label}（第${p.quarter}季度）`;
}

/** The notice in one language. Pure: the same params always read the same. */
export function renderNotice(kind: string, p: NoticeParams, lang: Lang): NoticeText {
  const en = lang === 'en';
  const event = p.event ? labelOf(EVENT_LABELS, p.event, lang) : '';
  const task = taskText(p, lang);
  const name = en ? `“${p.title}”` : `「${p.title}」`;
  const sentences: string[] = [];
  let title: string;

  switch (kind) {
    case 'REMINDER':
      title = en ? `${p.code} due soon${task ? `: ${task}` : ''}` : `${p.code} 即将到期${task ? `：${task}` : ''}`;
      sentences.push(en ? `${name} is due on ${p.dueOn}; please see to it in time.` : `${name}的待办将于 ${p.dueOn} 到期，请及时办理。`);
      return { title, body: sentences.join(en ? ' ' : '') };
    case 'OVERDUE':
      if (p.event === 'QUARTER_OVERDUE') {
        title = en ? `${p.code} Q${p.quarter} report overdue` : `${p.code} 第${p.quarter}季度报告已逾期`;
        sentences.push(
          en
            ? `${name}: the Q${p.quarter} report was due 15 days after the quarter ended and has not been submitted.`
            : `${name}第${p.quarter}季度报告应在季度结束后15日内报送，至今未报送。`,
        );
      } else {
        title = en ? `${p.code} overdue${task ? `: ${task}` : ''}` : `${p.code} 已逾期${task ? `：${task}` : ''}`;
        sentences.push(en ? `${name} was due on ${p.dueOn} and is still waiting.` : `${name}的待办已于 ${p.dueOn} 到期，仍未办理。`);
      }
      break;
    case 'URGED':
      title = en ? `${p.code} urged${task ? `: ${task}` : ''}` : `${p.code} 催办${task ? `：${task}` : ''}`;
      sentences.push(en ? `The branch asks for ${name} to be dealt with soon.` : `支部催请尽快办理${name}。`);
      break;
    case 'WAITING':
      title = en ? `${p.code} waiting for you${task ? `: ${task}` : ''}` : `${p.code} 待您办理${task ? `：${task}` : ''}`;
      sentences.push(en ? `${name}: ${event}.` : `${name}：${event}。`);
      break;
    case 'COPY':
      title = en ? `Copy: ${p.code} ${event}` : `抄送：${p.code} ${event}`;
      sentences.push(en ? `${name}: ${event}.` : `${name}：${event}。`);
      break;
    default:
      title = `${p.code} ${event}`;
      sentences.push(en ? `${name}: ${event}.` : `${name}：${event}。`);
  }
  if (p.toState && kind !== 'OVERDUE') {
    const state = labelOf(STATE_LABELS, p.toState, lang);
    sentences[sentences.length - 1] = sentences[sentences.length - 1].replace(/[.。]$/, en ? `; now ${state}.` : `，当前状态：${state}。`);
  }
  if (p.comment) {
    const reason = p.event && REASONED.has(p.event);
    const ended = /[.!?。！？]$/.test(p.comment.trim()) ? '' : en ? '.' : '。';
    sentences.push(
      en ? `${reason ? 'Reason' : 'Comment'}: ${p.comment.trim()}${ended}` : `${reason ? '理由' : '意见'}：${p.comment.trim()}${ended}`,
    );
  }
  if (task && kind !== 'WAITING' && kind !== 'URGED') sentences.push(en ? `Waiting for you: ${task}.` : `待您办理：${task}。`);
  return { title, body: sentences.join(en ? ' ' : '') };
}

/** The reader's language: an explicit `lang`, else the Accept-Language the browser (or the web UI) sends. */
export function readerLanguage(explicit: string | undefined, acceptLanguage: string | undefined): Lang {
  if (explicit === 'en' || explicit === 'zh') return explicit;
  const first = (acceptLanguage ?? '').split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'zh';
}
