import { FINAL_PAIRING_STATES, isQuarterInPlan, isQuarterOverdue, pairingForm, QUARTERS, reportDueOn } from '../../workflows';
import type { AuditEventView } from '../audit/audit.service';
import type { PairingAggregate } from '../workflow-engine/aggregate-cache';
import type { EventOptions } from '../workflow-engine/event-options';
import type { Pairing } from '../workflow-engine/pairing.entity';
import type { PairingRecords } from '../workflow-engine/pairings.repository';
import { approvedRevision, revisionsOf } from './revisions';

export function pairingView(pairing: Pairing, options: EventOptions) {
  return {
    id: pairing.id,
    courtId: pairing.courtId,
    code: pairing.code,
    year: pairing.year,
    title: pairing.title,
    theme: pairing.theme,
    problem: pairing.problem,
    goals: pairing.goals,
    mode: pairing.mode,
    form: pairingForm(pairing),
    leadBranchId: pairing.leadBranchId,
    coBranchIds: pairing.coBranchIds,
    partnerIds: pairing.partnerIds,
    categories: pairing.categories,
    liaisonUserId: pairing.liaisonUserId,
    partnerLiaisons: pairing.partnerLiaisons,
    state: pairing.state,
    final: (FINAL_PAIRING_STATES as readonly string[]).includes(pairing.state),
    quarter: pairing.quarter,
    version: pairing.version,
    workflowVersion: pairing.workflowVersion,
    quarterScores: pairing.quarterScores,
    reviewScore: pairing.reviewScore,
    finalScore: pairing.finalScore,
    availableEvents: options.availableEvents,
    blockedEvents: options.blockedEvents,
    createdBy: pairing.createdBy,
    createdAt: pairing.createdAt,
    updatedAt: pairing.updatedAt,
  };
}
export type PairingView = ReturnType<typeof pairingView>;

/** Per quarter: which obligations are met (联席会议, 共建活动日, report, score), which are missing, what is overdue. */
export function complianceMatrix({ pairing, snapshot, records }: PairingAggregate, today: string) {
  const { context } = snapshot;
  if (context.startQuarter === null || context.planAcceptedOn === null) return [];
  return QUARTERS.filter((quarter) => isQuarterInPlan(context, quarter)).map((quarter) => {
    const counted = records.activities.filter((a) => a.quarter === quarter && !a.voided);
    const jointMeetings = counted.filter((a) => a.kind === 'joint_meeting').length;
    const activityDays = counted.filter((a) => a.kind === 'activity_day').length;
    const report = [...records.reports].reverse().find((r) => r.quarter === quarter && r.status !== 'returned') ?? null;
    const score = pairing.quarterScores.find((s) => s.quarter === quarter)?.score ?? null;
    // The deadline and the overdue flag as the sweep, the tasks and the bulletin judge them (workflows/quarters.ts).
    const dueDate = reportDueOn(context, quarter);
    const overdue = isQuarterOverdue(context, pairing.state, quarter, today);
    const missing = [
      ...(jointMeetings ? [] : ['joint_meeting']),
      ...(activityDays ? [] : ['activity_day']),
      ...(report ? [] : ['report']),
      ...(score !== null ? [] : ['score']),
    ];
    return {
      quarter,
      activities: counted.length,
      jointMeetings,
      activityDays,
      reportSubmitted: Boolean(report),
      requirementsMet: report ? report.requirementsMet : null,
      score,
      dueDate,
      overdue,
      missing,
    };
  });
}

/**
 * The pairing's records as a viewer sees them. A partner's user (`ownPartnerId`) sees the other partners'
 * countersignatures and confirmations, which are facts of the agreement and the activities, but only its own
 * evaluation: the others' are remarks to the committee.
 */
export function recordsView(records: PairingRecords, ownPartnerId: number | null = null) {
  const plan = [...records.plans].reverse().find((p) => p.status !== 'returned') ?? null;
  const confirmationsOf = (activityId: number) =>
    records.confirmations
      .filter((c) => c.activityId === activityId)
      .map(({ partnerId, comment, confirmedBy, confirmedAt }) => ({ partnerId, comment, confirmedBy, confirmedAt }));
  return {
    agreement: records.agreement && {
      countersignatures: records.countersignatures.map(
        ({ partnerId, paper, attachmentIds, comment, countersignedBy, countersignedAt }) => ({
          partnerId,
          paper,
          attachmentIds,
          comment,
          countersignedBy,
          countersignedAt,
        }),
      ),
      signedOn: records.agreement.signedOn,
      validFrom: records.agreement.validFrom,
      validTo: records.agreement.validTo,
      goals: records.agreement.goals,
      content: records.agreement.content,
      requirements: records.agreement.requirements,
      attachmentIds: records.agreement.attachmentIds,
      createdAt: records.agreement.createdAt,
    },
    plan: plan && {
      startQuarter: plan.startQuarter,
      items: plan.items,
      indicators: plan.indicators ?? [],
      status: plan.status,
      createdAt: plan.createdAt,
    },
    activities: records.activities.map((a) => ({
      id: a.id,
      quarter: a.quarter,
      kind: a.kind,
      heldOn: a.heldOn,
      title: a.title,
      location: a.location,
      participants: a.participants,
      partnerParticipants: a.partnerParticipants,
      summary: a.summary,
      attachmentIds: a.attachmentIds,
      voided: a.voided,
      voidComment: a.voidComment,
      confirmations: confirmationsOf(a.id),
      // 双方确认: a partner of the pairing confirmed it took part.
      confirmedByPartner: records.confirmations.some((c) => c.activityId === a.id),
      recordedBy: a.recordedBy,
      createdAt: a.createdAt,
    })),
    reports: records.reports.map((r) => ({
      id: r.id,
      quarter: r.quarter,
      summary: r.summary,
      planProgress: r.planProgress,
      shortfallReason: r.shortfallReason,
      requirementsMet: r.requirementsMet,
      indicatorValues: r.indicatorValues ?? [],
      status: r.status,
      score: r.score,
      scoreComment: r.decisionComment,
      submittedAt: r.submittedAt,
      decidedAt: r.decidedAt,
    })),
    evaluations: records.evaluations
      .filter((e) => ownPartnerId === null || e.partnerId === ownPartnerId)
      .map(({ partnerId, rating, comment, evaluatedBy, evaluatedAt }) => ({ partnerId, rating, comment, evaluatedBy, evaluatedAt })),
    review: records.reviews.length
      ? (({ id, summary, problemSolved, problemResolution, outcomes, status, score, decisionComment, submittedAt }) => ({
          id,
          summary,
          problemSolved,
          problemResolution,
          outcomes,
          status,
          score,
          comment: decisionComment,
          submittedAt,
        }))(records.reviews[records.reviews.length - 1])
      : null,
  };
}

/**
 * A pairing's history as a viewer reads it: its events exactly as hashed, some left out, none altered. A
 * partner's user (`ownPartnerId`, SPEC §12) reads it from the APPROVE the pairing's approval rests on — the
 * same approval that decides which revision of the proposal it reads — so no draft, proposal or returned
 * proposal; and, as on the page, of the partners' evaluations only its own. Its first event's prevHash then
 * links to an event it is not shown.
 */
export function historyView(history: AuditEventView[], ownPartnerId: number | null): AuditEventView[] {
  if (ownPartnerId === null) return history;
  const approval = approvedRevision(revisionsOf(history))?.outcome;
  if (!approval) return [];
  const othersEvaluation = (e: AuditEventView) =>
    e.type === 'EVALUATE_PARTNERSHIP' && (e.payload as { partnerId?: unknown } | null)?.partnerId !== ownPartnerId;
  return history.filter((e) => e.seq >= approval.seq && !othersEvaluation(e));
}
