import { APPROVED_OR_TERMINATED_STATES, type PairingActor } from '../../workflows';
import type { RequestUser } from '../identity/current-user.decorator';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { PairingVisibility } from '../attachments/pairing-visibility';
import { CourtScope } from '../identity/court-scope';
import { Pairing } from './pairing.entity';

const SEE_ALL_ROLES = ['committee', 'auditor', 'leader', 'admin', 'supervisor'] as const;

/**
 * The states in which a partner's users see a pairing of theirs: from `approved` on, never a draft, a proposal
 * or a returned proposal (SPEC §12). A pairing withdrawn or rejected was never approved, so it stays hidden;
 * a terminated one is shown (it may have been terminated before approval: the partner then sees its proposal as
 * it stood, which the committee's termination made final).
 */
export const PARTNER_VISIBLE_STATES = APPROVED_OR_TERMINATED_STATES;

/**
 * Within the court: committee, auditors, leaders, admins and supervisors see every pairing; secretaries and
 * members their branch's; partners their own.
 */
export function seesAllPairings(user: RequestUser): boolean {
  return SEE_ALL_ROLES.some((role) => user.roles.includes(role));
}

/** The partner a `partner` user speaks for, or null for every other user. */
export function partnerOf(user: Pick<RequestUser, 'roles' | 'partnerId'>): number | null {
  return user.roles.includes('partner') ? (user.partnerId ?? null) : null;
}

/**
 * Whether the user sees this pairing. A pairing outside the scope (by default the user's own court) is never
 * seen, whatever the roles; a supervisor's wider scope reaches the courts below theirs, to read.
 */
export function canSeePairing(
  user: RequestUser,
  pairing: Pick<Pairing, 'courtId' | 'leadBranchId' | 'coBranchIds' | 'partnerIds' | 'state'>,
  scope: CourtScope = CourtScope.own(user),
): boolean {
  if (!scope.includes(pairing.courtId)) return false;
  if (pairing.courtId !== user.courtId) return user.roles.includes('supervisor');
  if (seesAllPairings(user)) return true;
  if (user.branchId !== null && (pairing.leadBranchId === user.branchId || pairing.coBranchIds.includes(user.branchId))) return true;
  const partnerId = partnerOf(user);
  return partnerId !== null && pairing.partnerIds.includes(partnerId) && PARTNER_VISIBLE_STATES.includes(pairing.state);
}

/** In which capacities this user may act on this pairing, as the machine's EVENT_ACTORS names them. */
export function capacitiesOf(
  user: RequestUser,
  pairing: Pick<Pairing, 'courtId' | 'leadBranchId' | 'liaisonUserId' | 'partnerIds'>,
): Set<PairingActor> {
  const capacities = new Set<PairingActor>();
  if (!user.active || user.courtId !== pairing.courtId) return capacities;
  const partnerId = partnerOf(user);
  if (partnerId !== null && pairing.partnerIds.includes(partnerId)) capacities.add('partner');
  if (user.roles.includes('secretary') && user.branchId === pairing.leadBranchId) capacities.add('leadSecretary');
  if (pairing.liaisonUserId === user.id && user.branchId === pairing.leadBranchId) capacities.add('liaison');
  if (user.roles.includes('committee')) capacities.add('committee');
  return capacities;
}

/** The attachments' question, answered by the pairing's own rule. */
@Injectable()
export class EnginePairingVisibility extends PairingVisibility {
  async canSee(m: EntityManager, user: RequestUser, pairingId: number): Promise<boolean> {
    const pairing = await m.findOne(Pairing, {
      where: { id: pairingId },
      select: { id: true, courtId: true, leadBranchId: true, coBranchIds: true, partnerIds: true, state: true },
    });
    return pairing !== null && canSeePairing(user, pairing);
  }
}
