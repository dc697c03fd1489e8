import type { Lang } from '../i18n';
import { proposalFieldLabel } from '../labels';
import { ApiError } from './client';

/** Plain-language texts for the API's error codes: [中文, English]. */
const CODE_TEXT: Record<string, [string, string]> = {
  UNAUTHENTICATED: ['登录已失效，请重新登录', 'Your session has ended, please sign in again'],
  INVALID_CREDENTIALS: ['用户名或密码不正确', 'Wrong username or password'],
  FORBIDDEN: ['无权执行此操作', 'You are not allowed to do this'],
  SEPARATION_OF_DUTIES: [
    '提交人不得审批自己提交的事项（四眼原则）',
    'The person who submitted this may not decide on it (four-eyes rule)',
  ],
  NOT_FOUND: ['未找到该记录，或您无权查看', 'Not found, or you may not see it'],
  INVALID_TRANSITION: [
    '当前状态下不能进行此操作，页面已刷新，请查看最新状态',
    'This step is not possible in the current state; the page has been refreshed',
  ],
  VERSION_CONFLICT: ['该项目已被他人修改，已为您重新加载', 'Someone else changed this pairing; it has been reloaded'],
  URGED_RECENTLY: ['24小时内已催办过', 'Already urged within the last 24 hours'],
  QUARTER_REQUIREMENTS_NOT_MET: [
    '本季度缺少联席会议或共建活动日，请填写未达标原因',
    'This quarter lacks a joint meeting or an activity day; please give the reason',
  ],
  PROPOSAL_INCOMPLETE: ['申报内容不完整，请先修改申报', 'The proposal is incomplete; edit it first'],
  NO_OPEN_QUARTER: [
    '目前没有可登记活动的季度：本季度已报送，下一季度尚未开始',
    'No quarter takes activities now: this quarter is reported and the next one has not begun',
  ],
  LIAISON_NOT_IN_BRANCH: ['联络员须为本支部在职人员', 'The liaison must be an active member of the lead branch'],
  PARTNER_NOT_IN_PAIRING: ['共建单位联络员须属于本项目的共建单位', 'Each partner liaison must belong to one of the pairing’s partners'],
  ATTACHMENT_NOT_FOUND: ['附件不存在或属于他人，请重新上传', 'An attachment is unknown or someone else’s; upload it again'],
  BRANCH_NAME_TAKEN: ['该党支部名称已被使用', 'That branch name is already used'],
  PARTNER_NAME_TAKEN: ['该共建单位名称已被使用', 'That partner name is already used'],
  USERNAME_TAKEN: ['该用户名已被使用', 'That username is already taken'],
  AGREEMENT_DATES_INVALID: [
    '协议日期有误：生效日期须早于截止日期，签订日期不能晚于今天',
    'Agreement dates are wrong: valid-from must be before valid-to, and the signing date cannot be in the future',
  ],
  DATE_IN_FUTURE: ['日期不能晚于今天', 'The date cannot be in the future'],
  ALREADY_COUNTERSIGNED: ['该共建单位已会签协议书', 'This partner has countersigned the agreement already'],
  ACTIVITY_NOT_CONFIRMABLE: ['只能确认本项目已登记且未作废的活动', 'Only a recorded activity of this pairing that is not void can be confirmed'],
  ACTIVITY_ALREADY_CONFIRMED: ['本单位已确认过该活动', 'Your organisation has confirmed this activity already'],
  PARTNERSHIP_ALREADY_EVALUATED: ['本单位已评价过本年度结对共建（每个共建单位评价一次）', 'Your organisation has rated this partnership already (once per partner)'],
  MIGRATION_TARGET_INVALID: ['只能迁移到本流程版本的下一版', 'A pairing can be moved only to the version after its own'],
  PLAN_ITEMS_INVALID: [
    '计划事项有误：事项季度不能早于起始季度，完成时限须在本年度内',
    'Plan items are wrong: quarters must not be before the start quarter and due dates must fall in the pairing year',
  ],
  ACTIVITY_DATE_INVALID: [
    '活动日期有误：须在本项目年度内、不早于起始季度、所在季度尚未报送，且不晚于今天',
    'Activity date is wrong: it must be in the pairing year, not before the start quarter, in an unreported quarter, and not in the future',
  ],
  ACTIVITY_NOT_VOIDABLE: [
    '该活动所在季度已报送，不能作废',
    'This activity is in a reported quarter and cannot be voided',
  ],
  IDEMPOTENCY_KEY_REUSED: [
    '重复提交的内容与首次不同，请重新打开表单后再提交',
    'This retry differs from the first submission; please reopen the form and submit again',
  ],
  TOO_MANY_REQUESTS: ['操作过于频繁，请稍后再试', 'Too many requests, please try again shortly'],
  RULE_VIOLATED: ['不符合业务规则，无法执行', 'This breaks a business rule'],
  VALIDATION_FAILED: ['填写内容有误，请检查标红的项目', 'Some fields are not valid; please check the marked fields'],
  PAYLOAD_TOO_LARGE: ['文件过大（不超过20MB）', 'The file is too large (20 MB at most)'],
  UNSUPPORTED_MEDIA_TYPE: [
    '文件类型不支持（仅限 PDF、JPG、PNG、DOCX、XLSX）',
    'File type not supported (PDF, JPG, PNG, DOCX, XLSX only)',
  ],
  CONFLICT: ['与已有记录冲突（例如名称重复）', 'Conflicts with an existing record (e.g. the name is taken)'],
  NETWORK_ERROR: ['无法连接服务器，请检查网络后重试', 'Cannot reach the server; check the network and try again'],
};

const STATUS_TEXT: Record<number, [string, string]> = {
  401: CODE_TEXT.UNAUTHENTICATED,
  403: CODE_TEXT.FORBIDDEN,
  404: CODE_TEXT.NOT_FOUND,
  409: ['当前状态下不能进行此操作', 'Not possible in the current state'],
  412: CODE_TEXT.VERSION_CONFLICT,
  413: CODE_TEXT.PAYLOAD_TOO_LARGE,
  415: CODE_TEXT.UNSUPPORTED_MEDIA_TYPE,
  429: CODE_TEXT.TOO_MANY_REQUESTS,
};

/** Text for a known code, else null. */
export function codeText(code: string | undefined | null, lang: Lang = 'zh'): string | null {
  if (!code) return null;
  const entry = CODE_TEXT[code];
  return entry ? entry[lang === 'en' ? 1 : 0] : null;
}

/**
 * The message to show a person for any thrown error: our text for a known
 * code, else the server's own message, else a text for the HTTP status.
 */
export function errorMessage(err: unknown, lang: Lang = 'zh'): string {
  const i = lang === 'en' ? 1 : 0;
  if (err instanceof ApiError) {
    const known = codeText(err.code, lang);
    if (known) return known;
    if (err.message && err.message !== 'Error') return err.message;
    const byStatus = STATUS_TEXT[err.status];
    if (byStatus) return byStatus[i];
    if (err.status >= 500) return lang === 'en' ? 'Server error, please try again later' : '服务器出错，请稍后重试';
    return err.code;
  }
  if (err instanceof Error && err.message) return err.message;
  return lang === 'en' ? 'Something went wrong' : '操作失败';
}

/**
 * What a refused SUBMIT still needs, by the form's own labels: `details.missing` of a 422 PROPOSAL_INCOMPLETE
 * (or the `missing` of its blockedEvents entry) names the API fields.
 */
export function missingText(details: unknown, lang: Lang = 'zh'): string | null {
  const listed = Array.isArray(details)
    ? details
    : details && typeof details === 'object' && Array.isArray((details as { missing?: unknown }).missing)
      ? (details as { missing: unknown[] }).missing
      : null;
  // Only a list of field names is "what is missing"; a 400's [{field, messages}] details are not.
  const missing = listed?.filter((f): f is string => typeof f === 'string');
  if (!missing || !missing.length) return null;
  const names = missing.map((f) => proposalFieldLabel(String(f), lang));
  return lang === 'en' ? `The proposal is incomplete; still missing: ${names.join(', ')}` : `申报内容不完整，请填写：${names.join('、')}`;
}

/** True when the UI should reload the pairing after this error. */
export function needsReload(err: unknown): boolean {
  return err instanceof ApiError && (err.code === 'VERSION_CONFLICT' || err.code === 'INVALID_TRANSITION' || err.status === 412 || err.status === 409);
}

/** class-validator's English field messages in plain Chinese; unknown ones pass through. */
const FIELD_PATTERNS: [RegExp, (m: RegExpMatchArray) => string][] = [
  [/should not exist/, () => '此项不能填写'],
  [/ is required$/, () => '此项为必填项'],
  [/is deactivated/, () => '已停用，不能再选择'],
  [/active user with the secretary role who belongs to this branch/, () => '须为本支部在职的支部书记（先在用户管理中设置其角色和所在支部）'],
  [/liaison must be an active user of the lead branch/, () => '联络员须为本支部在职人员'],
  [/must not be blank|should not be empty|must not be empty/, () => '此项不能为空'],
  [/at most one decimal/, () => '最多保留一位小数'],
  [/must be shorter than or equal to (\d+)/, (m) => `不能超过${m[1]}个字`],
  [/must be longer than or equal to (\d+)/, (m) => `至少${m[1]}个字`],
  [/must be an integer/, () => '须为整数'],
  [/must be a (finite )?number/, () => '须为数字'],
  [/must not be less than (-?[\d.]+)/, (m) => `不能小于${m[1]}`],
  [/must not be greater than (-?[\d.]+)/, (m) => `不能大于${m[1]}`],
  [/date written YYYY-MM-DD|must be a valid (ISO 8601 )?date/, () => '请填写有效日期（年-月-日）'],
  [/must be one of the following values|must be a valid enum/, () => '所选值无效'],
  [/must contain at least (\d+) element/, (m) => `至少需要${m[1]}项`],
  [/must contain no more than (\d+) element/, (m) => `最多${m[1]}项`],
  [/must be a boolean/, () => '请选择是或否'],
  [/must be an array/, () => '须为列表'],
  [/must be a string/, () => '须为文字'],
  [/elements must be unique/, () => '不能重复选择'],
  [/must not contain control characters/, () => '含有无法保存的隐藏字符（常见于从其他文档复制的文字），请删除后重新输入'],
  [/must not contain a broken character/, () => '含有残缺的字符（表情或生僻字只剩半个），请删除后重新输入'],
  [/a partnerId may appear only once/, () => '每个共建单位只填一名联络员，请删去重复的一行'],
  [/may contain only letters, digits, dot, dash and underscore/, () => '用户名只能使用英文字母、数字、点、短横线和下划线'],
  [/must be 2 to 8 capital letters/, () => '须为2至8个大写英文字母'],
];

/**
 * One field's messages as a person should read them: in plain language, each once, and for a field left
 * empty only "此项不能为空" — not also "须为文字" and "不能超过…个字", which an empty field trips as well.
 */
export function plainFieldMessages(msgs: string[], lang: Lang = 'zh'): string[] {
  const plain = [...new Set(msgs.map((m) => plainFieldMessage(m, lang)))];
  const empty = msgs.findIndex((m) => /must not be blank|should not be empty|must not be empty/.test(m));
  return empty >= 0 ? [plainFieldMessage(msgs[empty], lang)] : plain;
}

export function plainFieldMessage(msg: string, lang: Lang = 'zh'): string {
  if (lang === 'en') return msg;
  for (const [re, fn] of FIELD_PATTERNS) {
    const m = msg.match(re);
    if (m) return fn(m);
  }
  return msg;
}
