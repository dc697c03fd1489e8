import {
  ACTIVITY_KIND_LABELS,
  CATEGORY_LABELS,
  EVENT_LABELS,
  FORM_LABELS,
  type Label,
  labelOf,
  type Lang,
  MODE_LABELS,
  PARTNER_KIND_LABELS,
  ROLE_LABELS,
  STATE_LABELS,
} from './labels';

/**
 * Audit payloads for people: the name of every field an event, an edit or a system change records,
 * and one describer that turns a payload into labelled lines — ids as names, codes as labels. The
 * server (CSV, summary.docx) and the web (history, revisions) read the same table, so a field is
 * called the same everywhere. Plain data and pure functions, like labels.ts.
 */
const l = (zh: string, en: string): Label => ({ zh, en });

export const FIELD_LABELS: Readonly<Record<string, Label>> = {
  // The proposal (CREATE, EDIT, SUBMIT)
  code: l('项目编号', 'Code'),
  year: l('年度', 'Year'),
  title: l('名称', 'Title'),
  theme: l('结对主题', 'Theme'),
  problem: l('拟解决的实际问题', 'Practical problem'),
  goals: l('共建目标', 'Goals'),
  mode: l('结对方式', 'Mode'),
  form: l('结对形式', 'Form'),
  leadBranchId: l('牵头党支部', 'Lead branch'),
  coBranchIds: l('联合结对党支部', 'Co-branches'),
  partnerIds: l('共建单位', 'Partners'),
  categories: l('结对类别', 'Categories'),
  liaisonUserId: l('本支部联络员', 'Our liaison'),
  partnerLiaisons: l('共建单位联络员', 'Partner liaisons'),
  partnerId: l('共建单位', 'Partner'),
  name: l('名称', 'Name'),
  phone: l('电话', 'Phone'),
  state: l('状态', 'State'),
  quarter: l('季度', 'Quarter'),
  version: l('版本', 'Version'),
  workflowVersion: l('流程版本', 'Workflow version'),
  quarterScores: l('季度得分', 'Quarter scores'),
  reviewScore: l('述职得分', 'Review score'),
  finalScore: l('总分', 'Final score'),
  createdBy: l('创建人', 'Created by'),
  createdAt: l('创建时间', 'Created at'),
  updatedAt: l('更新时间', 'Updated at'),
  id: l('编号', 'Id'),
  revision: l('提交次数', 'Revision'),
  proposal: l('申报内容', 'Proposal'),
  changes: l('修改内容', 'Changes'),
  // Agreement, plan, activities, reports, review
  signedOn: l('签订日期', 'Signed on'),
  validFrom: l('协议起始日期', 'Valid from'),
  validTo: l('协议截止日期', 'Valid to'),
  content: l('共建内容', 'Content'),
  requirements: l('共建要求', 'Requirements'),
  attachmentIds: l('附件', 'Attachments'),
  attachments: l('附件', 'Attachments'),
  filename: l('文件名', 'File name'),
  sha256: l('SHA-256', 'SHA-256'),
  startQuarter: l('起始季度', 'Start quarter'),
  items: l('计划事项', 'Plan items'),
  dueDate: l('完成时限', 'Due date'),
  owner: l('责任人', 'Owner'),
  deliverable: l('预期成果', 'Deliverable'),
  kind: l('类型', 'Kind'),
  heldOn: l('活动日期', 'Held on'),
  location: l('地点', 'Location'),
  participants: l('参加人数', 'Participants'),
  partnerParticipants: l('共建单位参加人数', 'Partner participants'),
  summary: l('内容', 'Summary'),
  activityId: l('活动编号', 'Activity'),
  planProgress: l('计划完成情况', 'Plan progress'),
  shortfallReason: l('未达要求的原因', 'Shortfall reason'),
  requirementsMet: l('联席会议与共建活动日是否齐全', 'Joint meeting and activity day held'),
  jointMeetings: l('联席会议次数', 'Joint meetings'),
  activityDays: l('共建活动日次数', 'Activity days'),
  score: l('评分', 'Score'),
  problemSolved: l('实际问题是否解决', 'Problem solved'),
  problemResolution: l('问题解决情况', 'Resolution'),
  outcomes: l('成效指标', 'Outcomes'),
  indicator: l('指标', 'Indicator'),
  value: l('数值', 'Value'),
  unit: l('单位', 'Unit'),
  baseline: l('上年基数', 'Baseline'),
  indicators: l('成效指标', 'Outcome indicators'),
  indicatorValues: l('本季度指标数值', 'Indicator values this quarter'),
  target: l('目标值', 'Target'),
  higherIsBetter: l('数值越高越好', 'Higher is better'),
  // The partner side
  paper: l('纸质会签（书记代为登记）', 'Paper countersignature (recorded by the secretary)'),
  rating: l('评价等级（1–5）', 'Rating (1–5)'),
  // Workflow versions
  fromVersion: l('原流程版本', 'From version'),
  toVersion: l('新流程版本', 'To version'),
  // The system chain
  user: l('用户', 'User'),
  userId: l('用户', 'User'),
  username: l('用户名', 'Username'),
  displayName: l('姓名', 'Name'),
  roles: l('角色', 'Roles'),
  branchId: l('所在党支部', 'Branch'),
  active: l('启用', 'Active'),
  secretaryUserId: l('支部书记', 'Secretary'),
  contact: l('联系方式', 'Contact'),
  passwordChanged: l('修改了密码', 'Password changed'),
  bootstrap: l('初始管理员', 'Bootstrap administrator'),
  demo: l('演示用户', 'Demo user'),
  ip: l('来源地址', 'IP address'),
  reason: l('原因', 'Reason'),
  pairingId: l('项目', 'Pairing'),
  practiceId: l('好做法编号', 'Good practice'),
  court: l('法院', 'Court'),
  courtId: l('所属法院', 'Court'),
  parentCourtId: l('上级法院', 'Parent court'),
  because: l('原因', 'Because'),
  userChanged: l('用户变更', 'User changed'),
  byPlatformAdmin: l('由平台管理员创建', 'Created by the platform administrator'),
  event: l('操作', 'Event'),
  from: l('原值', 'Before'),
  to: l('新值', 'After'),
};

/** What an id field refers to, so its value can be shown as a name. */
export type NameKind = 'user' | 'branch' | 'partner' | 'attachment' | 'pairing';

const REFERENCES: Readonly<Record<string, NameKind>> = {
  leadBranchId: 'branch',
  coBranchIds: 'branch',
  branchId: 'branch',
  partnerIds: 'partner',
  partnerId: 'partner',
  liaisonUserId: 'user',
  secretaryUserId: 'user',
  userId: 'user',
  createdBy: 'user',
  attachmentIds: 'attachment',
  pairingId: 'pairing',
};

/** What the ids of this field refer to, if it holds ids. */
export const referenceKind = (field: string): NameKind | undefined => REFERENCES[field];

/** Fields whose values are codes with a label of their own. */
const CODED: Readonly<Record<string, Readonly<Record<string, Label>>[]>> = {
  kind: [ACTIVITY_KIND_LABELS, PARTNER_KIND_LABELS],
  categories: [CATEGORY_LABELS],
  mode: [MODE_LABELS],
  form: [FORM_LABELS],
  roles: [ROLE_LABELS],
  state: [STATE_LABELS],
  fromState: [STATE_LABELS],
  toState: [STATE_LABELS],
  event: [EVENT_LABELS],
};

const QUARTER_FIELDS = new Set(['quarter', 'startQuarter']);

/** Looks up the name behind an id; undefined when it is not known (shown as #id). */
export type NameLookup = (kind: NameKind, id: number | string) => string | undefined;

/** One labelled line of a payload: a text, or nested lines (an object), or rows (a list of objects). */
export interface PayloadLine {
  field: string;
  label: string;
  text?: string;
  children?: PayloadLine[];
  rows?: PayloadLine[][];
}

export const fieldLabel = (field: string, lang: Lang = 'zh') => labelOf(FIELD_LABELS, field, lang);

const WORDS = {
  yes: l('是', 'Yes'),
  no: l('否', 'No'),
  empty: l('（空）', '(empty)'),
  none: l('（无）', '(none)'),
};

function codeLabel(tables: readonly Readonly<Record<string, Label>>[], code: string, lang: Lang): string {
  for (const table of tables) if (code in table) return labelOf(table, code, lang);
  return code;
}

/** One value of `field` as text: names for ids, labels for codes, 是/否 for booleans, 第n季度 for quarters. */
export function describeValue(field: string, value: unknown, names: NameLookup, lang: Lang = 'zh'): string {
  if (value === null || value === undefined || value === '') return WORDS.empty[lang];
  if (Array.isArray(value)) {
    if (!value.length) return WORDS.none[lang];
    return value.map((item) => describeValue(field, item, names, lang)).join(lang === 'zh' ? '、' : ', ');
  }
  if (typeof value === 'boolean') return value ? WORDS.yes[lang] : WORDS.no[lang];
  const reference = REFERENCES[field];
  if (reference && (typeof value === 'number' || typeof value === 'string')) return names(reference, value) ?? `#${value}`;
  if (CODED[field] && typeof value === 'string') return codeLabel(CODED[field], value, lang);
  if (QUARTER_FIELDS.has(field) && typeof value === 'number') return lang === 'zh' ? `第${value}季度` : `Q${value}`;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `{field: {from, to}}`, the shape EDIT and the system chain's *_CHANGED events record. */
function isChangeSet(value: unknown): value is Record<string, { from: unknown; to: unknown }> {
  return isPlainObject(value) && Object.values(value).every((change) => isPlainObject(change) && 'from' in change && 'to' in change);
}

export interface DescribeOptions {
  /** Leave out fields without a value (null, '', []) and bookkeeping (ids, timestamps, versions): for a screen. */
  brief?: boolean;
  /** How an instant (an ISO timestamp such as createdAt) reads for people: local, with its zone (SPEC §10). */
  instant?: (iso: string) => string;
}

/** Payload fields that hold instants (UTC in the chain), not dates. */
const INSTANT_FIELDS = new Set(['createdAt', 'updatedAt', 'submittedAt', 'uploadedAt', 'at']);

/** Bookkeeping a person reading an event does not need; the raw JSON still has it. */
const BOOKKEEPING = new Set(['id', 'createdAt', 'updatedAt', 'createdBy', 'version', 'workflowVersion']);
const FIELD_ORDER = new Map(Object.keys(FIELD_LABELS).map((field, i) => [field, i]));
const isEmpty = (value: unknown) => value === null || value === undefined || value === '' || (Array.isArray(value) && !value.length);

/** A payload as labelled lines, fields in the order of FIELD_LABELS (the proposal's own order), unknown ones last. */
export function describePayload(payload: unknown, names: NameLookup, lang: Lang = 'zh', options: DescribeOptions = {}): PayloadLine[] {
  if (!isPlainObject(payload)) {
    return payload === null || payload === undefined ? [] : [{ field: '', label: '', text: describeValue('', payload, names, lang) }];
  }
  const lines: PayloadLine[] = [];
  const order = (field: string) => FIELD_ORDER.get(field) ?? FIELD_ORDER.size;
  const fields = Object.entries(payload).sort(([a], [b]) => order(a) - order(b));
  for (const [field, value] of fields) {
    // The chain names each file (id, filename, sha256) beside the bare ids: show the files.
    if (field === 'attachmentIds' && Array.isArray(payload.attachments)) continue;
    if (options.brief && (isEmpty(value) || BOOKKEEPING.has(field))) continue;
    const label = fieldLabel(field, lang);
    if (field === 'changes' && isChangeSet(value)) {
      lines.push({
        field,
        label,
        children: Object.entries(value).map(([changed, { from, to }]) => ({
          field: changed,
          label: fieldLabel(changed, lang),
          text: `${describeValue(changed, from, names, lang)} → ${describeValue(changed, to, names, lang)}`,
        })),
      });
    } else if (Array.isArray(value) && value.length && value.every(isPlainObject)) {
      lines.push({ field, label, rows: value.map((row) => describePayload(row, names, lang, options)) });
    } else if (isPlainObject(value)) {
      lines.push({ field, label, children: describePayload(value, names, lang, options) });
    } else if (options.instant && INSTANT_FIELDS.has(field) && typeof value === 'string') {
      lines.push({ field, label, text: options.instant(value) });
    } else {
      lines.push({ field, label, text: describeValue(field, value, names, lang) });
    }
  }
  return lines;
}

/** The same lines as one line of text, for a spreadsheet cell: 「名称：…；类型：…」. */
export function payloadText(lines: PayloadLine[], lang: Lang = 'zh'): string {
  const [colon, separator, open, close] = lang === 'zh' ? ['：', '；', '（', '）'] : [': ', '; ', ' (', ')'];
  const one = (line: PayloadLine): string => {
    const head = line.label ? `${line.label}${colon}` : '';
    if (line.children) return `${head}${open}${line.children.map(one).join(separator)}${close}`;
    if (line.rows) return `${head}${line.rows.map((row) => `${open}${row.map(one).join(separator)}${close}`).join('')}`;
    return `${head}${line.text ?? ''}`;
  };
  return lines.map(one).join(separator);
}
