import type { Lang } from './i18n';

import {
  ACTIVITY_KIND_LABELS,
  CATEGORY_LABELS,
  EVENT_LABELS,
  FORM_LABELS,
  MODE_LABELS,
  PARTNER_KIND_LABELS,
  REPORT_STATUS_LABELS,
  ROLE_LABELS,
  STATE_LABELS,
  SYSTEM_EVENT_LABELS,
  TASK_LABELS,
  labelOf,
  type Label,
} from '../../workflows/labels';
import { FIELD_LABELS } from '../../workflows/payload-labels';

// The names of states, events, kinds and roles come from the one table the server uses too.
export { ACTIVITY_KIND_LABELS, EVENT_LABELS, ROLE_LABELS, STATE_LABELS, SYSTEM_EVENT_LABELS };

/** An outcome indicator's baseline has one name (上年基数), the one the history, the CSV and the dossier use. */
export const BASELINE: Label = FIELD_LABELS.baseline;

type Pair = [string, string];
const pick = (p: Pair | undefined, lang: Lang, fallback: string) => (p ? p[lang === 'en' ? 1 : 0] : fallback);
const pairs = (table: Readonly<Record<string, Label>>): Record<string, Pair> =>
  Object.fromEntries(Object.entries(table).map(([key, { zh, en }]) => [key, [zh, en] as Pair]));

export const STATES: Record<string, Pair> = pairs(STATE_LABELS);

export const STATE_COLORS: Record<string, string> = {
  draft: 'default',
  proposed: 'processing',
  returned: 'warning',
  approved: 'cyan',
  agreementSigned: 'cyan',
  planFiled: 'processing',
  'active.collecting': 'blue',
  'active.reportSubmitted': 'processing',
  yearEndReview: 'purple',
  underReview: 'processing',
  scored: 'success',
  withdrawn: 'default',
  rejected: 'error',
  terminated: 'error',
};

export const stateLabel = (s: string | null | undefined, lang: Lang) => (s ? labelOf(STATE_LABELS, s, lang) : '—');

/** States in which a pairing waits on the committee (机关党委). */
export const COMMITTEE_STATES = ['proposed', 'planFiled', 'active.reportSubmitted', 'underReview'];
export const FINAL_STATES = ['scored', 'withdrawn', 'rejected', 'terminated'];

export const EVENTS: Record<string, Pair> = pairs(EVENT_LABELS);
export const eventLabel = (e: string, lang: Lang) => labelOf(EVENT_LABELS, e, lang);

export const ACTIVITY_KINDS: Record<string, Pair> = pairs(ACTIVITY_KIND_LABELS);
export const activityKindLabel = (k: string, lang: Lang) => labelOf(ACTIVITY_KIND_LABELS, k, lang);

export const CATEGORIES: Record<string, Pair> = pairs(CATEGORY_LABELS);
export const categoryLabel = (c: string, lang: Lang) => labelOf(CATEGORY_LABELS, c, lang);

export const PARTNER_KINDS: Record<string, Pair> = pairs(PARTNER_KIND_LABELS);
export const partnerKindLabel = (k: string, lang: Lang) => labelOf(PARTNER_KIND_LABELS, k, lang);

export const MODES: Record<string, Pair> = pairs(MODE_LABELS);
export const modeLabel = (m: string | undefined, lang: Lang) => (m ? labelOf(MODE_LABELS, m, lang) : '—');

export const FORMS: Record<string, Pair> = pairs(FORM_LABELS);
export const formLabel = (f: string | null | undefined, lang: Lang) => (f ? labelOf(FORM_LABELS, f, lang) : '—');

export const ROLES: Record<string, Pair> = pairs(ROLE_LABELS);
export const roleLabel = (r: string, lang: Lang) => labelOf(ROLE_LABELS, r, lang);

/** Task kinds are the server's (the machine's state meta). */
export const TASK_KINDS: Record<string, Pair> = Object.fromEntries(
  Object.entries(pairs(TASK_LABELS)).map(([kind, pair]) => [kind.toLowerCase(), pair]),
);

/** What a pairing in this state waits for, used when a task kind is unknown. */
const STATE_TASK: Record<string, Pair> = {
  draft: ['完善并提交申报', 'Complete and submit proposal'],
  returned: ['按退回意见修改申报', 'Revise the returned proposal'],
  proposed: ['审批结对申报', 'Review proposal'],
  approved: ['签订共建协议书', 'Sign the agreement'],
  agreementSigned: ['报送年度计划', 'File the annual plan'],
  planFiled: ['年度计划备案', 'Accept plan'],
  'active.collecting': ['登记活动并报送季度报告', 'Record activities and report the quarter'],
  'active.reportSubmitted': ['季度评分', 'Score quarter'],
  yearEndReview: ['提交年终述职', 'Submit the year-end review'],
  underReview: ['年终述职评分', 'Score year-end review'],
};

export function taskLabel(kind: string, state: string | undefined, lang: Lang, quarter?: number | null): string {
  const key = kind?.toString() ?? '';
  const direct = TASK_KINDS[key] ?? TASK_KINDS[key.toLowerCase()];
  let text = key || '—';
  if (direct) text = pick(direct, lang, key);
  else if (state && STATE_TASK[state]) text = pick(STATE_TASK[state], lang, key);
  if (quarter && (state?.startsWith('active') || /quarter/i.test(key))) text += lang === 'en' ? ` (Q${quarter})` : `（第${quarter}季度）`;
  return text;
}

export const MISSING: Record<string, Pair> = {
  joint_meeting: ['缺联席会议', 'No joint meeting'],
  activity_day: ['缺共建活动日', 'No activity day'],
  report: ['未报送季度报告', 'Report not submitted'],
  quarter_report: ['未报送季度报告', 'Report not submitted'],
  score: ['未评分', 'Not scored'],
};
export const missingLabel = (m: string, lang: Lang) => pick(MISSING[m], lang, m);

export const REPORT_STATUS: Record<string, Pair> = pairs(REPORT_STATUS_LABELS);
export const reportStatusLabel = (s: string | undefined, lang: Lang) => (s ? labelOf(REPORT_STATUS_LABELS, s, lang) : '—');

/** Lifecycle steps shown on a pairing: 提出 → 签订协议 → 计划备案 → 季度活动 → 年终述职 → 评分. */
export const STEPS: Pair[] = [
  ['提出', 'Proposal'],
  ['签订协议', 'Agreement'],
  ['计划备案', 'Plan'],
  ['季度活动', 'Quarterly work'],
  ['年终述职', 'Year-end review'],
  ['评分', 'Score'],
];

const STEP_OF_STATE: Record<string, number> = {
  draft: 0,
  proposed: 0,
  returned: 0,
  approved: 1,
  agreementSigned: 2,
  planFiled: 2,
  'active.collecting': 3,
  'active.reportSubmitted': 3,
  yearEndReview: 4,
  underReview: 4,
  scored: 6,
};

/** Index of the current step; 6 means all done. Final refusals return the step they stopped at. */
export function stepIndex(state: string, lastLiveState?: string | null): number {
  if (state in STEP_OF_STATE) return STEP_OF_STATE[state];
  if (lastLiveState && lastLiveState in STEP_OF_STATE) return Math.min(STEP_OF_STATE[lastLiveState], 5);
  return 0;
}

/** The proposal's fields by their API names, labelled as the proposal form labels them (PROPOSAL_INCOMPLETE names these). */
export const PROPOSAL_FIELDS: Record<string, Pair> = {
  title: ['项目名称', 'Title'],
  theme: ['结对主题', 'Theme'],
  problem: ['拟解决的实际问题', 'Practical problem to solve'],
  goals: ['共建目标', 'Goals'],
  partnerIds: ['共建单位', 'Partner organisations'],
  coBranchIds: ['联合结对的其他党支部', 'Other branches in a joint pairing'],
  categories: ['共建内容', 'Categories'],
  liaisonUserId: ['本支部联络员', 'Our liaison'],
  partnerLiaisons: ['共建单位联络员', 'Partner liaisons'],
};
export const proposalFieldLabel = (field: string, lang: Lang) => pick(PROPOSAL_FIELDS[field], lang, field);
