import { FILE_PLAN } from './FilePlan';
import { CONFIRM_ACTIVITY, COUNTERSIGN_AGREEMENT, EVALUATE_PARTNERSHIP, MIGRATE_WORKFLOW } from './Partner';
import { RECORD_ACTIVITY } from './RecordActivity';
import { SUBMIT_QUARTER_REPORT } from './QuarterReport';
import { APPROVE_REVIEW, SCORE_QUARTER } from './Scores';
import { SIGN_AGREEMENT } from './SignAgreement';
import { ACCEPT_PLAN, APPROVE, RECALL, REJECT, RETURN, SUBMIT, TERMINATE, URGE, WITHDRAW } from './simple';
import { SUBMIT_REVIEW } from './SubmitReview';
import type { EventForm } from './types';
import { UPDATE_LIAISONS } from './UpdateLiaisons';
import { VOID_ACTIVITY } from './VoidActivity';

/** Every event a person can send, one module each. */
export const EVENT_FORMS: Record<string, EventForm> = {
  SUBMIT,
  RECALL,
  WITHDRAW,
  APPROVE,
  RETURN,
  REJECT,
  SIGN_AGREEMENT,
  FILE_PLAN,
  ACCEPT_PLAN,
  RECORD_ACTIVITY,
  VOID_ACTIVITY,
  SUBMIT_QUARTER_REPORT,
  SCORE_QUARTER,
  SUBMIT_REVIEW,
  APPROVE_REVIEW,
  TERMINATE,
  URGE,
  UPDATE_LIAISONS,
  COUNTERSIGN_AGREEMENT,
  CONFIRM_ACTIVITY,
  EVALUATE_PARTNERSHIP,
  MIGRATE_WORKFLOW,
};

export const formOf = (type: string): EventForm => EVENT_FORMS[type] ?? { comment: 'optional' };
export type { EventContext, EventForm } from './types';
