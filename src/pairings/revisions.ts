import { canonicalJson } from '../audit/canonical-json';
import type { AuditEventView } from '../audit/audit.service';

/** The fields of a submitted proposal, in the order the committee reads them. */
export const PROPOSAL_FIELDS = [
  'title',
  'theme',
  'problem',
  'goals',
  'mode',
  'leadBranchId',
  'coBranchIds',
  'partnerIds',
  'categories',
  'liaisonUserId',
  'partnerLiaisons',
  'code',
  'year',
] as const;

export interface ProposalChange {
  field: string;
  from: unknown;
  to: unknown;
}

export interface Revision {
  revision: number;
  /** The seq of the SUBMIT event that carries it. */
  seq: number;
  submittedAt: string;
  submittedBy: string | null;
  proposal: Record<string, unknown>;
  /** Against the revision before; empty for the first. */
  changes: ProposalChange[];
  /** What became of it: the committee's decision (or the secretary's recall) that followed, if any yet, and its seq. */
  outcome: RevisionOutcome | null;
}

export interface RevisionOutcome {
  type: string;
  seq: number;
  at: string;
  actorId: string | null;
  comment: string | null;
}

const OUTCOMES = new Set(['APPROVE', 'RETURN', 'REJECT', 'RECALL', 'WITHDRAW', 'TERMINATE']);

/** Lists of ids and codes are sets: [4, 5] and [5, 4] are the same partners. */
function comparable(value: unknown): string {
  if (Array.isArray(value) && value.every((item) => typeof item === 'number' || typeof item === 'string')) {
    return canonicalJson([...value].sort((a, b) => String(a).localeCompare(String(b))));
  }
  return canonicalJson(value ?? null);
}

export function proposalChanges(before: Record<string, unknown>, after: Record<string, unknown>): ProposalChange[] {
  const fields = [...PROPOSAL_FIELDS, ...Object.keys(after).filter((f) => !(PROPOSAL_FIELDS as readonly string[]).includes(f))];
  return fields
    .filter((field) => field in before || field in after)
    .filter((field) => comparable(before[field]) !== comparable(after[field]))
    .map((field) => ({ field, from: before[field] ?? null, to: after[field] ?? null }));
}

const isProposal = (payload: unknown): payload is { revision?: unknown; proposal: Record<string, unknown> } =>
  typeof payload === 'object' &&
  payload !== null &&
  typeof (payload as { proposal?: unknown }).proposal === 'object' &&
  (payload as { proposal?: unknown }).proposal !== null;

/** Every SUBMIT of a pairing's chain as a revision, each compared with the one before. */
export function revisionsOf(history: readonly AuditEventView[]): Revision[] {
  const revisions: Revision[] = [];
  for (const event of history) {
    if (event.type === 'SUBMIT' && isProposal(event.payload)) {
      const previous = revisions[revisions.length - 1];
      const proposal = event.payload.proposal;
      revisions.push({
        revision: typeof event.payload.revision === 'number' ? event.payload.revision : revisions.length + 1,
        seq: event.seq,
        submittedAt: event.at,
        submittedBy: event.actorId,
        proposal,
        changes: previous ? proposalChanges(previous.proposal, proposal) : [],
        outcome: null,
      });
    } else if (OUTCOMES.has(event.type) && revisions.length && revisions[revisions.length - 1].outcome === null) {
      // Only the first decision after a SUBMIT belongs to it (a later TERMINATE is about the pairing).
      const last = revisions[revisions.length - 1];
      if (event.fromState === 'proposed') {
        last.outcome = { type: event.type, seq: event.seq, at: event.at, actorId: event.actorId, comment: event.comment };
      }
    }
  }
  return revisions;
}

/**
 * The revision the pairing's approval rests on: the one the committee's APPROVE answered. However often the
 * proposal was returned and resubmitted, only a SUBMIT's own first decision counts as its outcome, and APPROVE
 * leaves `proposed` for good under every machine version; the last one is taken all the same, as the one in force.
 */
export function approvedRevision(revisions: readonly Revision[]): (Revision & { outcome: RevisionOutcome }) | undefined {
  return revisions.findLast((r): r is Revision & { outcome: RevisionOutcome } => r.outcome?.type === 'APPROVE');
}
