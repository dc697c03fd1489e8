import type { ActivityKind, PairingEventType, PairingState, PairingTask } from './pairing.types';

/**
 * The names the court uses, in Chinese first and English: the one table the server (notifications,
 * bulletin, exports) and the web interface both read, so a state or an event is called the same
 * everywhere. Plain data, no imports at run time, so the web bundles it as it is.
 */
export type Lang = 'zh' | 'en';
export interface Label {
  zh: string;
  en: string;
}

const l = (zh: string, en: string): Label => ({ zh, en });

export const STATE_LABELS: Readonly<Record<PairingState, Label>> = {
  draft: l('草稿', 'Draft'),
  proposed: l('待审批', 'Proposed'),
  returned: l('已退回', 'Returned'),
  approved: l('已批准，待签协议', 'Approved'),
  agreementSigned: l('已签协议，待报计划', 'Agreement signed'),
  planFiled: l('计划待备案', 'Plan filed'),
  'active.collecting': l('季度活动中', 'Collecting activities'),
  'active.reportSubmitted': l('季度报告待评分', 'Quarter report submitted'),
  yearEndReview: l('待年终述职', 'Year-end review due'),
  underReview: l('述职待评议', 'Review under assessment'),
  scored: l('已评分', 'Scored'),
  withdrawn: l('已撤销', 'Withdrawn'),
  rejected: l('未通过', 'Rejected'),
  terminated: l('已终止', 'Terminated'),
};

/** What the pairing's chain records besides the lifecycle events. */
export type RecordEventType = 'CREATE' | 'EDIT';

export const EVENT_LABELS: Readonly<Record<PairingEventType | RecordEventType, Label>> = {
  CREATE: l('创建', 'Created'),
  EDIT: l('修改申报', 'Edited'),
  SUBMIT: l('提交申报', 'Submit'),
  RECALL: l('撤回申报', 'Recall'),
  WITHDRAW: l('撤销项目', 'Withdraw'),
  APPROVE: l('批准', 'Approve'),
  RETURN: l('退回修改', 'Return'),
  REJECT: l('不予通过', 'Reject'),
  SIGN_AGREEMENT: l('签订共建协议书', 'Sign agreement'),
  FILE_PLAN: l('报送年度计划', 'File plan'),
  ACCEPT_PLAN: l('计划备案', 'Accept plan'),
  RECORD_ACTIVITY: l('登记活动', 'Record activity'),
  VOID_ACTIVITY: l('作废活动', 'Void activity'),
  SUBMIT_QUARTER_REPORT: l('报送季度报告', 'Submit quarter report'),
  SCORE_QUARTER: l('季度评分', 'Score quarter'),
  SUBMIT_REVIEW: l('提交年终述职', 'Submit year-end review'),
  APPROVE_REVIEW: l('述职评分', 'Score review'),
  TERMINATE: l('终止项目', 'Terminate'),
  URGE: l('催办', 'Urge'),
  UPDATE_LIAISONS: l('更换联络员', 'Update liaisons'),
  QUARTER_OVERDUE: l('季度报告逾期', 'Quarter report overdue'),
  COUNTERSIGN_AGREEMENT: l('共建单位会签协议', 'Countersign agreement'),
  CONFIRM_ACTIVITY: l('共建单位确认活动', 'Confirm activity'),
  EVALUATE_PARTNERSHIP: l('共建单位评价', 'Evaluate partnership'),
  MIGRATE_WORKFLOW: l('迁移流程版本', 'Migrate workflow version'),
};

/** Types of the `system` chain (SPEC §7). */
export const SYSTEM_EVENT_LABELS: Readonly<Record<string, Label>> = {
  LOGIN: l('登录', 'Signed in'),
  LOGIN_FAILED: l('登录失败', 'Sign-in failed'),
  USER_CREATED: l('新建用户', 'User created'),
  USER_CHANGED: l('修改用户', 'User changed'),
  BRANCH_CREATED: l('新建支部', 'Branch created'),
  BRANCH_CHANGED: l('修改支部', 'Branch changed'),
  PARTNER_CREATED: l('新建共建单位', 'Partner created'),
  PARTNER_CHANGED: l('修改共建单位', 'Partner changed'),
  EVENT_FORBIDDEN: l('越权操作被拒绝', 'Forbidden attempt refused'),
  PRACTICE_PUBLISHED: l('发布好做法', 'Good practice published'),
  PRACTICE_WITHDRAWN: l('撤回好做法', 'Good practice withdrawn'),
  COURT_CREATED: l('新建法院', 'Court created'),
  COURT_CHANGED: l('修改法院', 'Court changed'),
  COURTS_INTRODUCED: l('启用多院部署', 'Courts introduced'),
};

export const ACTIVITY_KIND_LABELS: Readonly<Record<ActivityKind, Label>> = {
  joint_meeting: l('联席会议', 'Joint meeting'),
  activity_day: l('共建活动日', 'Activity day'),
  party_lesson: l('共上党课', 'Party lesson'),
  study_session: l('座谈研讨/学习交流', 'Study session'),
  lecture: l('讲堂/讲座', 'Lecture'),
  volunteer_service: l('志愿服务', 'Volunteer service'),
  theme_party_day: l('主题党日', 'Theme party day'),
  member_exchange: l('党员结对互帮', 'Member exchange'),
  other: l('其他', 'Other'),
};

/** What a pairing waits for (the task kinds of the machine's state meta). */
/** What a pairing asks of its partners' users (SPEC §12); no state waits on them alone. */
export type PartnerTask = 'COUNTERSIGN_AGREEMENT' | 'CONFIRM_ACTIVITY' | 'EVALUATE_PARTNERSHIP';
export const PARTNER_TASKS: readonly PartnerTask[] = ['COUNTERSIGN_AGREEMENT', 'CONFIRM_ACTIVITY', 'EVALUATE_PARTNERSHIP'];
export const isPartnerTask = (value: string | null | undefined): value is PartnerTask =>
  (PARTNER_TASKS as readonly (string | null | undefined)[]).includes(value);

export const TASK_LABELS: Readonly<Record<PairingTask | PartnerTask, Label>> = {
  SUBMIT_PROPOSAL: l('完善并提交申报', 'Complete and submit the proposal'),
  REVIEW_PROPOSAL: l('审批结对申报', 'Review the proposal'),
  REVISE_PROPOSAL: l('按退回意见修改申报', 'Revise the returned proposal'),
  SIGN_AGREEMENT: l('签订共建协议书', 'Sign the agreement'),
  FILE_PLAN: l('报送年度计划', 'File the annual plan'),
  REVIEW_PLAN: l('年度计划备案', 'Accept the plan'),
  SUBMIT_QUARTER_REPORT: l('报送季度报告', 'Submit the quarter report'),
  SCORE_QUARTER: l('季度评分', 'Score the quarter'),
  SUBMIT_REVIEW: l('提交年终述职', 'Submit the year-end review'),
  APPROVE_REVIEW: l('述职评分', 'Score the year-end review'),
  COUNTERSIGN_AGREEMENT: l('会签共建协议书', 'Countersign the agreement'),
  CONFIRM_ACTIVITY: l('确认共建活动', 'Confirm the activity'),
  EVALUATE_PARTNERSHIP: l('评价本年度结对共建', 'Evaluate the partnership'),
};

export const CATEGORY_LABELS: Readonly<Record<string, Label>> = {
  organization: l('组织结对', 'Organisation'),
  activity: l('活动结对', 'Activities'),
  member: l('党员结对', 'Members'),
  project: l('项目结对', 'Project'),
};

export const PARTNER_KIND_LABELS: Readonly<Record<string, Label>> = {
  government: l('党政机关', 'Government body'),
  enterprise: l('企业', 'Enterprise'),
  public_institution: l('事业单位', 'Public institution'),
  community: l('村社区', 'Community'),
  social_organization: l('社会组织', 'Social organisation'),
};

export const MODE_LABELS: Readonly<Record<string, Label>> = {
  voluntary: l('自愿结对', 'Voluntary'),
  directed: l('指导性安排', 'Directed'),
};

export const FORM_LABELS: Readonly<Record<string, Label>> = {
  one_to_one: l('一对一', 'One to one'),
  one_to_many: l('一对多（联合结对）', 'One to many (joint)'),
};

export type PairingForm = 'one_to_one' | 'one_to_many';

/**
 * 结对形式, derived once for the server's views, the dossier and (through them) the web: one branch with one
 * partner is one to one, more branches or partners one to many. A pairing with no partner yet (a draft) has no
 * form: it pairs with nobody, so it claims neither.
 */
export function pairingForm(pairing: { coBranchIds: readonly unknown[]; partnerIds: readonly unknown[] }): PairingForm | null {
  if (pairing.partnerIds.length === 0) return null;
  return pairing.coBranchIds.length === 0 && pairing.partnerIds.length === 1 ? 'one_to_one' : 'one_to_many';
}

export const ROLE_LABELS: Readonly<Record<string, Label>> = {
  secretary: l('支部书记', 'Branch secretary'),
  committee: l('机关党委', 'Organ party committee'),
  auditor: l('审计', 'Auditor'),
  leader: l('院党组', 'Leadership group'),
  member: l('党员', 'Party member'),
  admin: l('系统管理员', 'Administrator'),
  partner: l('共建单位联络人', 'Partner liaison'),
  supervisor: l('上级法院', 'Supervising court'),
  platform_admin: l('平台管理员', 'Platform administrator'),
};

/** A quarter report's status as the bulletin and the pairing page show it. */
export const REPORT_STATUS_LABELS: Readonly<Record<'none' | 'submitted' | 'scored' | 'returned' | 'not_in_plan', Label>> = {
  none: l('未报送', 'Not submitted'),
  not_in_plan: l('不在计划内', 'Not in the plan'),
  submitted: l('已报送，待评分', 'Waiting for a score'),
  scored: l('已评分', 'Scored'),
  returned: l('已退回', 'Returned'),
};

/** The name of `key` in `table`, or the key itself when the table does not know it. */
export function labelOf(table: object, key: string, lang: Lang = 'zh'): string {
  return (table as Partial<Record<string, Label>>)[key]?.[lang] ?? key;
}
