import { SIGN_AGREEMENT } from './agreement';
import { RECORD_ACTIVITY, VOID_ACTIVITY } from './activity';
import type { EventHandlers } from './event-handler';
import { UPDATE_LIAISONS } from './liaisons';
import { MIGRATE_WORKFLOW } from './migrate';
import { COUNTERSIGN_AGREEMENT, CONFIRM_ACTIVITY, EVALUATE_PARTNERSHIP } from './partner';
import { ACCEPT_PLAN, FILE_PLAN } from './plan';
import { APPROVE, RECALL, REJECT, SUBMIT, TERMINATE, URGE, WITHDRAW } from './proposal';
import { QUARTER_OVERDUE, SCORE_QUARTER, SUBMIT_QUARTER_REPORT } from './quarter';
import { RETURN } from './return';
import { APPROVE_REVIEW, SUBMIT_REVIEW } from './review';

/** Every event type's payload, facts and rows, one module per kind of record. */
export const EVENT_HANDLERS: EventHandlers = {
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
  QUARTER_OVERDUE,
  COUNTERSIGN_AGREEMENT,
  CONFIRM_ACTIVITY,
  EVALUATE_PARTNERSHIP,
  MIGRATE_WORKFLOW,
};

export type { EventContext, EventHandler, Written } from './event-handler';
export { OneLiaisonPerPartner, PartnerLiaisonDto } from './liaisons';
export { confirmedBy, partnerActs } from './partner';
export { proposalFacts, proposalFactsOf, proposalSnapshot } from './proposal';
