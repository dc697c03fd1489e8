export type Id = string | number;

export interface User {
  id: Id;
  username: string;
  displayName: string;
  roles: string[];
  branchId?: Id | null;
  /** A `partner` user's organisation (SPEC §12). */
  partnerId?: Id | null;
  active?: boolean;
  courtId?: number;
  /** The court the user is in (GET /api/auth/me). */
  court?: Court | null;
}

/** A court of the installation (§11). */
export interface Court {
  id: number;
  code: string;
  name: string;
  parentCourtId: number | null;
}

/** GET /api/reports/courts: one court of the comparison. */
export interface CourtsReportRow {
  courtId: number;
  code: string;
  name: string;
  parentCourtId: number | null;
  pairings: number;
  byState: { state: string; count: number }[];
  compliance: { due: number; met: number; rate: number | null };
  overdueQuarters: number;
  scored: number;
  meanFinalScore: number | null;
}

interface CourtNamed {
  courtId: number;
  courtCode: string;
  courtName: string;
}

/** GET /api/reports/courts: each court side by side, and the pairings and branches ranked across them. */
export interface CourtsReport {
  year: number;
  quarter: number | null;
  asOf: string;
  generatedAt: string;
  courts: CourtsReportRow[];
  ranking: {
    pairings: (CourtNamed & { rank: number; pairingId: number; code: string; title: string; leadBranchName: string; finalScore: number })[];
    branches: (CourtNamed & { rank: number; branchId: number; name: string; count: number; meanScore: number })[];
  };
}

export interface Branch {
  id: Id;
  name: string;
  secretaryUserId?: Id | null;
  /** false: deactivated — kept on old pairings, not offered for new ones. */
  active?: boolean;
}

export interface Partner {
  id: Id;
  name: string;
  kind: string;
  contact?: string | null;
  active?: boolean;
}

export interface PartnerLiaison {
  partnerId: Id;
  name: string;
  phone?: string;
}

export interface BlockedEvent {
  type: string;
  code: string;
  /** PROPOSAL_INCOMPLETE: the API names of the fields still missing. */
  missing?: string[];
}

export interface Agreement {
  signedOn?: string;
  validFrom?: string;
  validTo?: string;
  goals?: string;
  content?: string;
  requirements?: string;
  attachmentIds?: Id[];
  /** Per partner that countersigned: when, by whom, and whether it is the secretary's record of a paper copy. */
  countersignatures?: Countersignature[];
}

export interface Countersignature {
  partnerId: Id;
  paper: boolean;
  attachmentIds: Id[];
  comment?: string | null;
  countersignedBy: Id;
  countersignedAt: string;
}

export interface Confirmation {
  partnerId: Id;
  comment?: string | null;
  confirmedBy: Id;
  confirmedAt: string;
}

export interface Evaluation {
  partnerId: Id;
  rating: number;
  comment: string;
  evaluatedBy: Id;
  evaluatedAt: string;
}

export interface PlanItem {
  title: string;
  quarter: number;
  dueDate: string;
  owner: string;
  deliverable?: string;
}

/** An outcome indicator the plan declared (成效指标). */
export interface PlanIndicator {
  name: string;
  unit: string;
  baseline: number;
  target?: number | null;
  higherIsBetter: boolean;
}

export interface Plan {
  startQuarter: number;
  items: PlanItem[];
  indicators?: PlanIndicator[];
}

export interface Activity {
  id: Id;
  quarter?: number;
  kind: string;
  heldOn: string;
  title: string;
  location?: string;
  participants?: number;
  partnerParticipants?: number;
  summary?: string;
  attachmentIds?: Id[];
  voided?: boolean;
  confirmations?: Confirmation[];
  /** 双方确认: a partner of the pairing confirmed it took part. */
  confirmedByPartner?: boolean;
}

export interface QuarterReport {
  id: Id;
  quarter: number;
  indicatorValues?: { name: string; value: number }[];
  summary?: string;
  planProgress?: string;
  shortfallReason?: string | null;
  requirementsMet?: boolean;
  score?: number | string | null;
  scoreComment?: string | null;
  status?: string;
}

export interface Outcome {
  indicator: string;
  value: number;
  unit: string;
  baseline?: number | string | null;
}

export interface Review {
  summary?: string;
  problemSolved?: boolean;
  problemResolution?: string;
  outcomes?: Outcome[];
  score?: number | string | null;
  comment?: string | null;
  status?: string;
}

export interface Compliance {
  quarter: number;
  dueDate?: string;
  requirementsMet?: boolean | null;
  jointMeetings?: number;
  activityDays?: number;
  reportSubmitted?: boolean;
  score?: number | string | null;
  overdue?: boolean;
  missing?: string[];
}

export interface Pairing {
  id: Id;
  code: string;
  year: number;
  title: string;
  theme: string;
  problem: string;
  goals?: string;
  mode: 'voluntary' | 'directed' | string;
  /** Null while the pairing has no partner yet. */
  form?: string | null;
  leadBranchId: Id;
  coBranchIds?: Id[];
  partnerIds: Id[];
  categories: string[];
  liaisonUserId?: Id | null;
  partnerLiaisons?: PartnerLiaison[];
  state: string;
  quarter?: number | null;
  version: number;
  workflowVersion?: string | number;
  quarterScores?: { quarter: number; score: number | string }[];
  reviewScore?: number | string | null;
  finalScore?: number | string | null;
  availableEvents?: string[];
  blockedEvents?: BlockedEvent[];
  createdAt?: string;
  updatedAt?: string;
  agreement?: Agreement | null;
  plan?: Plan | null;
  activities?: Activity[];
  reports?: QuarterReport[];
  review?: Review | null;
  /** The partners' ratings of the year (a partner's user sees its own). */
  evaluations?: Evaluation[];
  compliance?: Compliance[];
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface AuditEvent {
  chain: string;
  seq: number;
  at: string;
  actorId: string | null;
  actorName?: string | null;
  type: string;
  fromState: string | null;
  toState: string | null;
  payload: unknown;
  comment: string | null;
  prevHash?: string;
  hash: string;
}

export interface Task {
  id?: Id;
  pairingId: Id;
  code?: string;
  title?: string;
  kind: string;
  state: string;
  waitsOn?: string;
  quarter?: number | null;
  since: string;
  dueAt?: string | null;
  /** The server's judgement (one overdue rule, on the server). */
  overdue?: boolean;
  /** CONFIRM_ACTIVITY tasks of partner users: the activity to confirm. */
  activityId?: Id;
  activityTitle?: string;
  activityKind?: string;
  heldOn?: string;
}

export interface Notification {
  id: Id;
  pairingId?: Id | null;
  kind: string;
  /** In the reader's language (the request's Accept-Language). */
  title: string;
  body: string;
  comment?: string | null;
  needsAction?: boolean;
  /** What it asked for has been done. */
  done?: boolean;
  createdAt: string;
  readAt?: string | null;
  read?: boolean;
}

export interface VerifyResult {
  ok: boolean;
  chains?: number;
  events?: number;
  failures?: { chain: string; seq: number; reason: string }[];
}

export interface Attachment {
  id: Id;
  filename: string;
  size: number;
  sha256?: string;
  mime?: string;
}

/** One indicator of one pairing as GET /api/reports/outcomes and the practices serve it. */
export interface IndicatorOutcome extends PlanIndicator {
  target: number | null;
  quarterly: { quarter: number; value: number }[];
  final: number | null;
  finalFrom: 'review' | 'quarter' | null;
  change: number | null;
  improved: boolean | null;
  targetMet: boolean | null;
}

export interface IndicatorSummary {
  name: string;
  unit: string;
  higherIsBetter: boolean;
  pairings: number;
  reported: number;
  improved: number;
  worsened: number;
  unchanged: number;
  withTarget: number;
  targetMet: number;
  meanChange: number | null;
}

export interface QuarterCompliance {
  quarter: number;
  due: number;
  met: number;
  rate: number | null;
}

export interface ScoreBand {
  from: number;
  to: number;
  count: number;
}

/** GET /api/reports/dashboard: the year at a glance. */
export interface DashboardData {
  year: number;
  asOf: string;
  generatedAt: string;
  totals: {
    pairings: number;
    /** Under way (进行中): from the signed agreement to the year-end review; never proposals. */
    running: number;
    scored: number;
    activities: number;
    meanFinalScore: number | null;
    complianceRate: number | null;
    overdue: number;
  };
  byState: { state: string; count: number }[];
  compliance: { quarters: QuarterCompliance[]; year: QuarterCompliance };
  activitiesByMonth: { month: number; total: number; byKind: Record<string, number> }[];
  scores: { final: ScoreBand[]; quarter: ScoreBand[] };
  indicators: {
    summary: IndicatorSummary[];
    changes: {
      pairingId: Id;
      code: string;
      title: string;
      name: string;
      unit: string;
      baseline: number;
      target: number | null;
      final: number | null;
      change: number | null;
      improved: boolean | null;
      targetMet: boolean | null;
    }[];
  };
  overdue: {
    quarters: { pairingId: Id; code: string; title: string; leadBranchName: string; quarter: number }[];
    byQuarter: { quarter: number; count: number }[];
    tasks: { pairingId: Id; code: string; title: string; leadBranchName: string; kind: string; waitsOn: string | null; quarter: number | null; dueAt: string | null }[];
  };
}

/** A good practice (好做法) as GET /api/practices serves it. */
export interface Practice {
  id: Id;
  status: 'published' | 'withdrawn';
  title: string;
  summary: string;
  publishedAt: string;
  publishedBy: { id: Id; displayName: string };
  withdrawnAt: string | null;
  withdrawComment: string | null;
  pairing: {
    id: Id;
    code: string;
    year: number;
    title: string;
    theme: string;
    problem: string;
    leadBranchName: string;
    partnerNames: string[];
    finalScore: number | null;
  };
  review: { problemSolved: boolean; problemResolution: string; outcomes: Outcome[] } | null;
  indicators: IndicatorOutcome[];
  photos: { id: Id; filename: string; mime: string; size: number }[];
}
