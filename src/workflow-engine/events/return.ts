import { stateMeta } from '../../../workflows';
import { EventHandler, EventWithRequiredComment, latest, replaced } from './event-handler';

/**
 * 退回: sends back the submission the committee was deciding — which one, the waiting state's meta says
 * (`decides`). A returned proposal is edited on the pairing itself; a plan, report or review is marked returned.
 */
export const RETURN: EventHandler<'RETURN'> = {
  payload: EventWithRequiredComment,
  write: async (context) => {
    const { m, repository, records, payload, comment, actorId, now, before } = context;
    const decided = { status: 'returned' as const, decisionComment: comment, decidedBy: actorId ?? 0, decidedAt: now };
    switch (stateMeta(before)?.decides) {
      case 'plan': {
        const plan = latest(records.plans, (p) => p.status === 'filed');
        if (!plan) break;
        await repository.plans.update(m, { status: 'returned' }, '`id` = ?', [plan.id]);
        return { audit: payload, records: { ...records, plans: replaced(records.plans, plan, { ...plan, status: 'returned' }) } };
      }
      case 'quarterReport': {
        const report = latest(records.reports, (r) => r.status === 'submitted');
        if (!report) break;
        await repository.reports.update(m, decided, '`id` = ?', [report.id]);
        return { audit: payload, records: { ...records, reports: replaced(records.reports, report, { ...report, ...decided }) } };
      }
      case 'review': {
        const review = latest(records.reviews, (r) => r.status === 'submitted');
        if (!review) break;
        await repository.reviews.update(m, decided, '`id` = ?', [review.id]);
        return { audit: payload, records: { ...records, reviews: replaced(records.reviews, review, { ...review, ...decided }) } };
      }
    }
    return { audit: payload };
  },
};
