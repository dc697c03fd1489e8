/**
 * The vocabulary shared by the pairing machine and the engine that drives it:
 * event shapes, context, state strings and the waiting-state metadata.
 */

export const PAIRING_STATES = [
  'draft',
  'proposed',
  'returned',
  'approved',
  'agreementSigned',
  'planFiled',
  'active.collecting',
  'active.reportSubmitted',
  'yearEndReview',
  'underReview',
  'scored',
  'withdrawn',
  'rejected',
  'terminated',
] as const;
export type PairingState = (typeof PAIRING_STATES)[number];

/** From the committee's approval to the score: the states only an approved pairing reaches. */
export const APPROVED_STATES: readonly PairingState[] = PAIRING_STATES.slice(
  PAIRING_STATES.indexOf('approved'),
  PAIRING_STATES.indexOf('scored') + 1,
);

/**
 * The pairings under way (进行中): from the signed agreement through the plan, the quarters and the year-end
 * review, until the score. Proposals (draft, proposed, returned) and an approval not yet signed are not.
 */
export const UNDER_WAY_STATES: readonly PairingState[] = PAIRING_STATES.slice(
  PAIRING_STATES.indexOf('agreementSigned'),
  PAIRING_STATES.indexOf('underReview') + 1,
);

/**
 * The approved states and `terminated`, which a pairing also reaches without approval (terminated as a
 * proposal): what lists of approved pairings (bulletin, a partner's view) read before any finer check.
 */
export const APPROVED_OR_TERMINATED_STATES: readonly PairingState[] = [...APPROVED_STATES, 'terminated'];

export const FINAL_PAIRING_STATES = ['scored', 'withdrawn', 'rejected', 'terminated'] as const satisfies readonly PairingState[];

/** The proposal's fields, partners and co-branches are edited (PATCH) only in these states. */
export const EDITABLE_PAIRING_STATES = ['draft', 'returned'] as const satisfies readonly PairingState[];

export const isEditableState = (state: string): boolean => (EDITABLE_PAIRING_STATES as readonly string[]).includes(state);

export const PAIRING_EVENT_TYPES = [
  'SUBMIT',
  'RECALL',
  'WITHDRAW',
  'APPROVE',
  'RETURN',
  'REJECT',
  'SIGN_AGREEMENT',
  'FILE_PLAN',
  'ACCEPT_PLAN',
  'RECORD_ACTIVITY',
  'VOID_ACTIVITY',
  'SUBMIT_QUARTER_REPORT',
  'SCORE_QUARTER',
  'SUBMIT_REVIEW',
  'APPROVE_REVIEW',
  'TERMINATE',
  'URGE',
  'UPDATE_LIAISONS',
  'QUARTER_OVERDUE',
  // Version 2 (SPEC §12): the partner side signs too.
  'COUNTERSIGN_AGREEMENT',
  'CONFIRM_ACTIVITY',
  'EVALUATE_PARTNERSHIP',
  // Between versions: moves a pairing from the version it runs under to a newer one.
  'MIGRATE_WORKFLOW',
] as const;
export type PairingEventType = (typeof PAIRING_EVENT_TYPES)[number];

export type PairingMode = 'voluntary' | 'directed';

/** Who sent the event and when; the machine never reads a clock of its own. */
export interface EventMeta {
  actorId: string | null;
  /** ISO 8601 UTC instant. */
  now: string;
  /** YYYY-MM-DD in APP_TIMEZONE. */
  today: string;
}

/** What the engine knows about the pairing's record when the secretary submits it. */
export interface ProposalFacts {
  title: string;
  theme: string;
  problem: string;
  partnerCount: number;
  categoryCount: number;
  liaisonActive: boolean;
}

export const ACTIVITY_KINDS = [
  'joint_meeting',
  'activity_day',
  'party_lesson',
  'study_session',
  'lecture',
  'volunteer_service',
  'theme_party_day',
  'member_exchange',
  'other',
] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

export interface AgreementPayload {
  signedOn: string;
  validFrom: string;
  validTo: string;
  goals: string;
  content: string;
  requirements: string;
  attachmentIds?: number[];
}

export interface PlanItem {
  title: string;
  quarter: number;
  dueDate: string;
  owner: string;
  deliverable?: string;
}

/**
 * An outcome indicator the plan commits to (成效指标, e.g. 家事纠纷诉前化解率 in %): where it stood at the start
 * and, optionally, where the year should take it. Quarter reports and the year-end review report it by name.
 */
export interface PlanIndicator {
  name: string;
  unit: string;
  baseline: number;
  target?: number;
  /** True for a rate that should rise (化解率), false for one that should fall (平均审理天数). */
  higherIsBetter: boolean;
}

export interface PlanPayload {
  startQuarter: number;
  items: PlanItem[];
  indicators?: PlanIndicator[];
}

export interface ActivityPayload {
  kind: ActivityKind;
  heldOn: string;
  title: string;
  location?: string;
  participants: number;
  partnerParticipants: number;
  summary: string;
  attachmentIds?: number[];
}

/** A plan indicator's value as a quarter report gives it. */
export interface IndicatorValue {
  name: string;
  value: number;
}

export interface QuarterReportPayload {
  summary: string;
  planProgress?: string;
  shortfallReason?: string;
  indicatorValues?: IndicatorValue[];
}

/** A year-end figure; when the accepted plan declared indicators, `indicator` names one of them. */
export interface ReviewOutcome {
  indicator: string;
  value: number;
  unit: string;
  baseline?: number;
}

export interface ReviewPayload {
  summary: string;
  problemSolved: boolean;
  problemResolution: string;
  outcomes: ReviewOutcome[];
}

export interface PartnerLiaison {
  partnerId: number;
  name: string;
  phone: string;
}

export interface LiaisonsPayload {
  liaisonUserId?: number | null;
  partnerLiaisons?: PartnerLiaison[];
}

/**
 * 共建单位会签: a partner's user countersigns for their own organisation; the lead secretary records a paper
 * countersignature on a partner's behalf (then `partnerId` and at least one scan are required).
 */
export interface CountersignPayload {
  partnerId?: number;
  attachmentIds?: number[];
}

export interface ConfirmActivityPayload {
  activityId: number;
}

/** 共建单位评价: 1–5, with the reason in the comment. */
export interface EvaluatePayload {
  rating: number;
}

export interface MigratePayload {
  toVersion: number;
}

/** What the engine knows of the partner an event speaks for. */
export interface PartnerActFacts {
  /** Whether this partner has countersigned the agreement already. */
  countersigned: boolean;
  /** Whether this partner has evaluated the partnership already. */
  evaluated: boolean;
}

export interface ScorePayload {
  score: number;
}

/** An uploaded file as the audit trail names it (SPEC §13). */
export interface EvidenceRef {
  id: number;
  filename: string;
  sha256: string;
}

/** Evidence named by an event: the files the sender may use, and the ids they may not (unknown, someone else's, or on another pairing). */
export interface AttachmentFacts {
  usable: EvidenceRef[];
  unusable: number[];
}

export type PairingEvent =
  | { type: 'SUBMIT'; meta: EventMeta; facts: { proposal: ProposalFacts } }
  | { type: 'RECALL'; meta: EventMeta; comment?: string }
  | { type: 'WITHDRAW'; meta: EventMeta; comment?: string }
  | { type: 'APPROVE'; meta: EventMeta; comment?: string }
  | { type: 'ACCEPT_PLAN'; meta: EventMeta; comment?: string }
  | { type: 'RETURN'; meta: EventMeta; comment: string }
  | { type: 'REJECT'; meta: EventMeta; comment: string }
  | { type: 'TERMINATE'; meta: EventMeta; comment: string }
  | { type: 'SIGN_AGREEMENT'; meta: EventMeta; payload: AgreementPayload; facts?: { attachments: AttachmentFacts }; comment?: string }
  | { type: 'FILE_PLAN'; meta: EventMeta; payload: PlanPayload; comment?: string }
  | { type: 'RECORD_ACTIVITY'; meta: EventMeta; payload: ActivityPayload; facts?: { attachments: AttachmentFacts }; comment?: string }
  | {
      type: 'VOID_ACTIVITY';
      meta: EventMeta;
      comment: string;
      payload: { activityId: number };
      /** null when the activity does not exist on this pairing. */
      facts: { activity: { quarter: number; voided: boolean } | null };
    }
  | {
      type: 'SUBMIT_QUARTER_REPORT';
      meta: EventMeta;
      payload: QuarterReportPayload;
      /** Counts of non-void activities of the current quarter, by kind. */
      facts: QuarterCounts;
      comment?: string;
    }
  | { type: 'SCORE_QUARTER'; meta: EventMeta; payload: ScorePayload; comment?: string }
  | { type: 'SUBMIT_REVIEW'; meta: EventMeta; payload: ReviewPayload; comment?: string }
  | { type: 'APPROVE_REVIEW'; meta: EventMeta; payload: ScorePayload; comment?: string }
  | { type: 'URGE'; meta: EventMeta; facts?: UrgeFacts; comment?: string }
  | {
      type: 'UPDATE_LIAISONS';
      meta: EventMeta;
      payload: LiaisonsPayload;
      /** Whether the new liaison is an active user of the lead branch, and each partner liaison one of the pairing's partners. */
      facts?: { liaisonFits: boolean; partnerLiaisonsFit: boolean };
      comment?: string;
    }
  | { type: 'QUARTER_OVERDUE'; meta: EventMeta; payload: { quarter: number } }
  | {
      type: 'COUNTERSIGN_AGREEMENT';
      meta: EventMeta;
      payload: CountersignPayload;
      facts: { partner: PartnerActFacts; attachments: AttachmentFacts };
      comment?: string;
    }
  | {
      type: 'CONFIRM_ACTIVITY';
      meta: EventMeta;
      payload: ConfirmActivityPayload;
      /** null when the activity does not exist on this pairing; `confirmed`: by this partner already. */
      facts: { activity: { voided: boolean; confirmed: boolean } | null };
      comment?: string;
    }
  | { type: 'EVALUATE_PARTNERSHIP'; meta: EventMeta; payload: EvaluatePayload; facts: { partner: PartnerActFacts }; comment: string }
  | { type: 'MIGRATE_WORKFLOW'; meta: EventMeta; payload: MigratePayload; comment: string };

/** The activities that count towards a quarter's two obligations (联席会议, 共建活动日). */
export interface QuarterCounts {
  jointMeetings: number;
  activityDays: number;
}

export type PairingEventOf<T extends PairingEventType> = Extract<PairingEvent, { type: T }>;

/** The payload fields an event carries beside `type` and `comment` (empty for events without any). */
export type PayloadOf<T extends PairingEventType> = PairingEventOf<T> extends { payload: infer P } ? P : Record<string, never>;

/** What the engine must find out from the database before the machine can judge the event. */
export type FactsOf<T extends PairingEventType> = 'facts' extends keyof PairingEventOf<T>
  ? NonNullable<PairingEventOf<T>['facts' & keyof PairingEventOf<T>]>
  : undefined;

export interface QuarterScore {
  quarter: number;
  score: number;
}

/** What URGE is judged by besides the context (version 3 on): when the step the pairing waits in began. */
export interface UrgeFacts {
  /** The instant the pairing began to wait in its current step (its open task's start); null when it waits for nothing. */
  waitingSince: string | null;
}

export interface PairingInput {
  year: number;
  mode: PairingMode;
}

export interface PairingContext {
  year: number;
  mode: PairingMode;
  /** From the filed plan; null until a plan is filed (and again after a plan is returned). */
  startQuarter: number | null;
  /** The quarter being collected or reviewed; non-null exactly while `active.*`. */
  quarter: number | null;
  /**
   * Highest quarter whose report waits for a score or has been scored; quarters up to
   * it take no more activities. Kept in context so every rule reads it the same way.
   */
  reportedThrough: number | null;
  /** `meta.today` of ACCEPT_PLAN: quarters that ended before it are never overdue. */
  planAcceptedOn: string | null;
  quarterScores: QuarterScore[];
  reviewScore: number | null;
  /** Two decimals, see scoring.ts. */
  finalScore: number | null;
  /** Number of SUBMITs: the proposal's revision as the committee saw it. */
  revision: number;
  /** Sender of the submission that now waits for a decision (four-eyes rule). */
  pendingSubmitterId: string | null;
  lastUrgedAt: string | null;
  overdueQuarters: number[];
}

export type WaitsOn = 'committee' | 'secretary';

export type PairingTask =
  | 'SUBMIT_PROPOSAL'
  | 'REVIEW_PROPOSAL'
  | 'REVISE_PROPOSAL'
  | 'SIGN_AGREEMENT'
  | 'FILE_PLAN'
  | 'REVIEW_PLAN'
  | 'SUBMIT_QUARTER_REPORT'
  | 'SCORE_QUARTER'
  | 'SUBMIT_REVIEW'
  | 'APPROVE_REVIEW';

/** When a task falls due; null means no deadline (the secretary's own pace). */
export type TaskDue = { days: number } | { afterQuarterEnd: number } | { afterYearEnd: number } | null;

/** The submission a committee decision answers: what a RETURN sends back. */
export type PendingSubmission = 'proposal' | 'plan' | 'quarterReport' | 'review';

export interface PairingStateMeta {
  waitsOn: WaitsOn;
  task: PairingTask;
  due: TaskDue;
  /** In the states that wait on a committee decision: the submission being decided. */
  decides?: PendingSubmission;
}
