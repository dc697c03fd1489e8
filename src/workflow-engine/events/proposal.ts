import type { ProposalFacts } from '../../../workflows';
import type { PairingsRepository } from '../pairings.repository';
import type { Pairing } from '../pairing.entity';
import type { EntityManager } from 'typeorm';
import { EventHandler, EventWithOptionalComment, EventWithRequiredComment } from './event-handler';

/** What SUBMIT's rule reads of the pairing: its fields, and whether its liaison is an active member of the lead branch. */
export async function proposalFacts(m: EntityManager, repository: PairingsRepository, pairing: Pairing): Promise<ProposalFacts> {
  const liaison = pairing.liaisonUserId === null ? null : await repository.userStanding(m, pairing.liaisonUserId);
  return proposalFactsOf(pairing, Boolean(liaison?.active && liaison.branchId === pairing.leadBranchId));
}

export function proposalFactsOf(pairing: Pairing, liaisonActive: boolean): ProposalFacts {
  return {
    title: pairing.title,
    theme: pairing.theme,
    problem: pairing.problem,
    partnerCount: pairing.partnerIds.length,
    categoryCount: pairing.categories.length,
    liaisonActive,
  };
}

/** The proposal exactly as the committee saw it when it was submitted (each SUBMIT is a revision). */
export function proposalSnapshot(p: Pairing) {
  return {
    code: p.code,
    year: p.year,
    title: p.title,
    theme: p.theme,
    problem: p.problem,
    goals: p.goals,
    mode: p.mode,
    leadBranchId: p.leadBranchId,
    coBranchIds: p.coBranchIds,
    partnerIds: p.partnerIds,
    categories: p.categories,
    liaisonUserId: p.liaisonUserId,
    partnerLiaisons: p.partnerLiaisons,
  };
}

export const SUBMIT: EventHandler<'SUBMIT'> = {
  payload: EventWithOptionalComment,
  facts: async ({ m, repository, pairing }) => ({ proposal: await proposalFacts(m, repository, pairing) }),
  write: ({ pairing, after }) => ({ audit: { revision: after.context.revision, proposal: proposalSnapshot(pairing) } }),
};

export const RECALL: EventHandler<'RECALL'> = { payload: EventWithOptionalComment };
export const WITHDRAW: EventHandler<'WITHDRAW'> = { payload: EventWithOptionalComment };
export const APPROVE: EventHandler<'APPROVE'> = { payload: EventWithOptionalComment };
export const REJECT: EventHandler<'REJECT'> = { payload: EventWithRequiredComment };
export const TERMINATE: EventHandler<'TERMINATE'> = { payload: EventWithRequiredComment };
/** 催办: judged by when the step the pairing waits in began (its open task's start; version 3 on, SPEC §10). */
export const URGE: EventHandler<'URGE'> = {
  payload: EventWithOptionalComment,
  facts: ({ pairing }) => ({ waitingSince: pairing.taskSince }),
};
