import type { EventForm } from './types';

/** Steps whose only input is a comment: the sentence says what happens next. */
export const SUBMIT: EventForm = {
  comment: 'none',
  intro: ({ t }) => t('提交后将报机关党委审批。', 'It goes to the organ party committee for approval.'),
};
export const RECALL: EventForm = {
  comment: 'none',
  intro: ({ t }) => t('撤回后可继续修改申报内容。', 'Recall to edit the proposal again.'),
};
export const WITHDRAW: EventForm = {
  comment: 'optional',
  danger: true,
  intro: ({ t }) => t('撤销后项目结束，不能恢复。', 'A withdrawn pairing ends for good.'),
};
export const APPROVE: EventForm = {
  comment: 'optional',
  intro: ({ t }) => t('批准后，支部可签订共建协议书。', 'After approval the branch signs the agreement.'),
};
export const RETURN: EventForm = {
  comment: 'required',
  danger: true,
  intro: ({ t }) => t('退回后，提交人按意见修改后可重新提交。', 'The submitter can revise and resubmit.'),
};
export const REJECT: EventForm = {
  comment: 'required',
  danger: true,
  intro: ({ t }) => t('不予通过后项目结束，不能再提交。', 'A rejected pairing ends for good.'),
};
export const ACCEPT_PLAN: EventForm = {
  comment: 'optional',
  intro: ({ t }) => t('备案后项目进入季度活动阶段。', 'After acceptance the quarterly work begins.'),
};
export const TERMINATE: EventForm = {
  comment: 'required',
  danger: true,
  intro: ({ t }) => t('终止后项目结束，不能恢复。', 'A terminated pairing cannot be resumed.'),
};
export const URGE: EventForm = {
  comment: 'optional',
  intro: ({ t }) => t('将提醒机关党委尽快办理（每个待办环节24小时内只能催办一次）。', 'Reminds the committee (once per 24 hours for each step).'),
};
