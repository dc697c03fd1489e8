import type { Lang } from './i18n';

type Pair = [string, string];
const pick = (p: Pair | undefined, lang: Lang, fallback: string) => (p ? p[lang === 'en' ? 1 : 0] : fallback);

export const STATES: Record<string, Pair> = {
  draft: ['草稿', 'Draft'],
  proposed: ['待审批', 'Proposed'],
  returned: ['已退回', 'Returned'],
  approved: ['已批准，待签协议', 'Approved'],
  agreementSigned: ['已签协议，待报计划', 'Agreement signed'],
  planFiled: ['计划待备案', 'Plan filed'],
  'active.collecting': ['季度活动中', 'Collecting activities'],
  'active.reportSubmitted': ['季度通报待评分', 'Quarter report submitted'],
  yearEndReview: ['待年终述职', 'Year-end review due'],
  underReview: ['述职待评议', 'Review under assessment'],
  scored: ['已评分', 'Scored'],
  withdrawn: ['已撤销', 'Withdrawn'],
  rejected: ['未通过', 'Rejected'],
  terminated: ['已终止', 'Terminated'],
};

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

export const stateLabel = (s: string | null | undefined, lang: Lang) => (s ? pick(STATES[s], lang, s) : '—');

/** States in which a pairing waits on the committee (机关党委). */
export const COMMITTEE_STATES = ['proposed', 'planFiled', 'active.reportSubmitted', 'underReview'];
export const FINAL_STATES = ['scored', 'withdrawn', 'rejected', 'terminated'];

export const EVENTS: Record<string, Pair> = {
  CREATE: ['创建', 'Created'],
  EDIT: ['修改申报', 'Edited'],
  SUBMIT: ['提交申报', 'Submit'],
  RECALL: ['撤回申报', 'Recall'],
  WITHDRAW: ['撤销项目', 'Withdraw'],
  APPROVE: ['批准', 'Approve'],
  RETURN: ['退回修改', 'Return'],
  REJECT: ['不予通过', 'Reject'],
  SIGN_AGREEMENT: ['签订共建协议书', 'Sign agreement'],
  FILE_PLAN: ['报送年度计划', 'File plan'],
  ACCEPT_PLAN: ['计划备案', 'Accept plan'],
  RECORD_ACTIVITY: ['登记活动', 'Record activity'],
  VOID_ACTIVITY: ['作废活动', 'Void activity'],
  SUBMIT_QUARTER_REPORT: ['报送季度情况', 'Submit quarter report'],
  SCORE_QUARTER: ['季度评分', 'Score quarter'],
  SUBMIT_REVIEW: ['提交年终述职', 'Submit year-end review'],
  APPROVE_REVIEW: ['述职评分', 'Score review'],
  TERMINATE: ['终止项目', 'Terminate'],
  URGE: ['催办', 'Urge'],
  UPDATE_LIAISONS: ['更换联络员', 'Update liaisons'],
  QUARTER_OVERDUE: ['季度逾期', 'Quarter overdue'],
};
export const eventLabel = (e: string, lang: Lang) => pick(EVENTS[e], lang, e);

export const ACTIVITY_KINDS: Record<string, Pair> = {
  joint_meeting: ['联席会议', 'Joint meeting'],
  activity_day: ['共建活动日', 'Activity day'],
  party_lesson: ['共上党课', 'Party lesson'],
  study_session: ['座谈研讨/学习交流', 'Study session'],
  lecture: ['讲堂/讲座', 'Lecture'],
  volunteer_service: ['志愿服务', 'Volunteer service'],
  theme_party_day: ['主题党日', 'Theme party day'],
  member_exchange: ['党员结对互帮', 'Member exchange'],
  other: ['其他', 'Other'],
};
export const activityKindLabel = (k: string, lang: Lang) => pick(ACTIVITY_KINDS[k], lang, k);

export const CATEGORIES: Record<string, Pair> = {
  organization: ['组织结对', 'Organisation'],
  activity: ['活动结对', 'Activities'],
  member: ['党员结对', 'Members'],
  project: ['项目结对', 'Project'],
};
export const categoryLabel = (c: string, lang: Lang) => pick(CATEGORIES[c], lang, c);

export const PARTNER_KINDS: Record<string, Pair> = {
  government: ['党政机关', 'Government body'],
  enterprise: ['企业', 'Enterprise'],
  public_institution: ['事业单位', 'Public institution'],
  community: ['村社区', 'Community'],
  social_organization: ['社会组织', 'Social organisation'],
};
export const partnerKindLabel = (k: string, lang: Lang) => pick(PARTNER_KINDS[k], lang, k);

export const MODES: Record<string, Pair> = {
  voluntary: ['自愿结对', 'Voluntary'],
  directed: ['指导性安排', 'Directed'],
};
export const modeLabel = (m: string | undefined, lang: Lang) => (m ? pick(MODES[m], lang, m) : '—');

export const FORMS: Record<string, Pair> = {
  one_to_one: ['一对一', 'One to one'],
  one_to_many: ['一对多（联合结对）', 'One to many (joint)'],
};
export const formLabel = (f: string | undefined, lang: Lang) => (f ? pick(FORMS[f], lang, f) : '—');

export const ROLES: Record<string, Pair> = {
  secretary: ['支部书记', 'Branch secretary'],
  committee: ['机关党委', 'Organ party committee'],
  auditor: ['审计', 'Auditor'],
  leader: ['院党组', 'Leadership group'],
  member: ['党员', 'Party member'],
  admin: ['系统管理员', 'Administrator'],
};
export const roleLabel = (r: string, lang: Lang) => pick(ROLES[r], lang, r);

/** Task kinds are the server's; known ones get a plain name, others show as sent. */
export const TASK_KINDS: Record<string, Pair> = {
  proposal_review: ['审批结对申报', 'Review proposal'],
  review_proposal: ['审批结对申报', 'Review proposal'],
  approve_proposal: ['审批结对申报', 'Review proposal'],
  plan_review: ['年度计划备案', 'Accept plan'],
  review_plan: ['年度计划备案', 'Accept plan'],
  accept_plan: ['年度计划备案', 'Accept plan'],
  score_quarter: ['季度评分', 'Score quarter'],
  quarter_score: ['季度评分', 'Score quarter'],
  review_score: ['年终述职评分', 'Score year-end review'],
  score_review: ['年终述职评分', 'Score year-end review'],
  approve_review: ['年终述职评分', 'Score year-end review'],
  submit_proposal: ['完善并提交申报', 'Complete and submit proposal'],
  revise_proposal: ['按退回意见修改申报', 'Revise the returned proposal'],
  sign_agreement: ['签订共建协议书', 'Sign the agreement'],
  file_plan: ['报送年度计划', 'File the annual plan'],
  quarter_report: ['报送季度情况', 'Submit the quarter report'],
  submit_quarter_report: ['报送季度情况', 'Submit the quarter report'],
  year_end_review: ['提交年终述职', 'Submit the year-end review'],
  submit_review: ['提交年终述职', 'Submit the year-end review'],
};

/** What a pairing in this state waits for, used when a task kind is unknown. */
const STATE_TASK: Record<string, Pair> = {
  draft: ['完善并提交申报', 'Complete and submit proposal'],
  returned: ['按退回意见修改申报', 'Revise the returned proposal'],
  proposed: ['审批结对申报', 'Review proposal'],
  approved: ['签订共建协议书', 'Sign the agreement'],
  agreementSigned: ['报送年度计划', 'File the annual plan'],
  planFiled: ['年度计划备案', 'Accept plan'],
  'active.collecting': ['登记活动并报送季度情况', 'Record activities and report the quarter'],
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
  report: ['未报送季度情况', 'Report not submitted'],
  quarter_report: ['未报送季度情况', 'Report not submitted'],
  score: ['未评分', 'Not scored'],
};
export const missingLabel = (m: string, lang: Lang) => pick(MISSING[m], lang, m);

export const REPORT_STATUS: Record<string, Pair> = {
  submitted: ['待评分', 'Waiting for score'],
  scored: ['已评分', 'Scored'],
  returned: ['已退回', 'Returned'],
};
export const reportStatusLabel = (s: string | undefined, lang: Lang) => (s ? pick(REPORT_STATUS[s], lang, s) : '—');

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
