import { APPROVED_STATES, type PairingActor, type PairingState } from '../../workflows';
import type { RequestUser } from '../identity/current-user.decorator';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { PairingVisibility } from '../attachments/pairing-visibility';
import { CourtScope } from '../identity/court-scope';
import { Pairing } from './pairing.entity';
import { PairingFilter, PairingsRepository } from './pairings.repository';

const SEE_ALL_ROLES = ['committee', 'auditor', 'leader', 'admin', 'supervisor'] as const;

/**
 * What a partner's users see of their partner's pairings (SPEC §12): from `approved` on, never a draft, a
 * proposal or a returned proposal. A terminated pairing only if the committee approved it before it ended:
 * one terminated as a proposal was never theirs to see, like one withdrawn or rejected (which no approved
 * pairing becomes). Whether it was approved is a fact of its chain, not of its row (PairingsRepository.everApproved).
 */
export const PARTNER_SIGHT: { states: readonly PairingState[]; statesIfApproved: readonly PairingState[] } = {
  states: APPROVED_STATES,
  statesIfApproved: ['terminated'],
};

/**
 * Within the court: committee, auditors, leaders, admins and supervisors see every pairing; secretaries and
 * members their branch's; partners their own.
 */
export function seesAllPairings(user: Pick<RequestUser, 'roles'>): boolean {
  return SEE_ALL_ROLES.some((role) => user.roles.includes(role));
}

/** The partner a `partner` user speaks for, or null for every other user. */
export function partnerOf(user: Pick<RequestUser, 'roles' | 'partnerId'>): number | null {
  return user.roles.includes('partner') ? (user.partnerId ?? null) : null;
}

/**
 * The partner whose side a user reads a pairing from (SPEC §12: the approved proposal on, its own evaluation
 * only), or null for a user who reads it whole — anyone but a `partner` user, or one who also sees all pairings.
 */
export function readsAsPartner(user: Pick<RequestUser, 'roles' | 'partnerId'>): number | null {
  return seesAllPairings(user) ? null : partnerOf(user);
}

type Visible = Pick<Pairing, 'id' | 'courtId' | 'leadBranchId' | 'coBranchIds' | 'partnerIds' | 'state'>;

/**
 * What the row alone says: `seen`, `unseen`, or `ifApproved` — a partner's user and a pairing in a state they
 * see only if it was approved once. A pairing outside the scope (by default the user's own court) is never
 * seen, whatever the roles; a supervisor's wider scope reaches the courts below theirs, to read.
 */
function sightOf(user: RequestUser, pairing: Visible, scope: CourtScope): 'seen' | 'unseen' | 'ifApproved' {
  if (!scope.includes(pairing.courtId)) return 'unseen';
  if (pairing.courtId !== user.courtId) return user.roles.includes('supervisor') ? 'seen' : 'unseen';
  if (seesAllPairings(user)) return 'seen';
  if (user.branchId !== null && (pairing.leadBranchId === user.branchId || pairing.coBranchIds.includes(user.branchId))) return 'seen';
  const partnerId = partnerOf(user);
  if (partnerId === null || !pairing.partnerIds.includes(partnerId)) return 'unseen';
  if (PARTNER_SIGHT.states.includes(pairing.state)) return 'seen';
  return PARTNER_SIGHT.statesIfApproved.includes(pairing.state) ? 'ifApproved' : 'unseen';
}

/**
 * Whether the user sees this pairing. Only a partner's user looking at a terminated pairing of theirs costs a
 * statement (was it approved?); everyone else is answered from the row.
 */
export async function canSeePairing(
  m: EntityManager,
  pairings: PairingsRepository,
  user: RequestUser,
  pairing: Visible,
  scope: CourtScope = CourtScope.own(user),
): Promise<boolean> {
  const sight = sightOf(user, pairing, scope);
  if (sight !== 'ifApproved') return sight === 'seen';
  return (await pairings.everApproved(m, [pairing.id])).has(pairing.id);
}

/** Of these pairings, those the user sees, in their order; one statement at most (a partner's terminated ones). */
export async function visiblePairings<P extends Visible>(
  m: EntityManager,
  pairings: PairingsRepository,
  user: RequestUser,
  rows: P[],
  scope: CourtScope = CourtScope.own(user),
): Promise<P[]> {
  const sights = rows.map((pairing) => sightOf(user, pairing, scope));
  const approved = await pairings.everApproved(
    m,
    rows.filter((_, i) => sights[i] === 'ifApproved').map((p) => p.id),
  );
  return rows.filter((pairing, i) => sights[i] === 'seen' || (sights[i] === 'ifApproved' && approved.has(pairing.id)));
}

/** Which pairings a list shows this user: all, their branch's, or (partner users) their partner's as PARTNER_SIGHT says. */
export function listVisibility(user: RequestUser): Pick<PairingFilter, 'visibleToBranchId' | 'visibleToPartner'> {
  if (seesAllPairings(user)) return {};
  const partnerId = partnerOf(user);
  if (partnerId !== null && user.branchId === null) return { visibleToPartner: { partnerId, ...PARTNER_SIGHT } };
  return { visibleToBranchId: user.branchId };
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
  constructor(private readonly pairings: PairingsRepository) {
    super();
  }

  async canSee(m: EntityManager, user: RequestUser, pairingId: number, reach: CourtScope): Promise<boolean> {
    const pairing = await m.findOne(Pairing, {
      where: { id: pairingId },
      select: { id: true, courtId: true, leadBranchId: true, coBranchIds: true, partnerIds: true, state: true },
    });
    return pairing !== null && canSeePairing(m, this.pairings, user, pairing, reach);
  }
}
