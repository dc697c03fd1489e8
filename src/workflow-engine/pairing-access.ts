import type { PairingActor } from '../../workflows';
import type { RequestUser } from '../identity/current-user.decorator';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { PairingVisibility } from '../attachments/pairing-visibility';
import { Pairing } from './pairing.entity';

const SEE_ALL_ROLES = ['committee', 'auditor', 'leader', 'admin'] as const;

/** Committee, auditors, leaders and admins see every pairing; secretaries and members their branch's. */
export function seesAllPairings(user: RequestUser): boolean {
  return SEE_ALL_ROLES.some((role) => user.roles.includes(role));
}

export function canSeePairing(user: RequestUser, pairing: Pick<Pairing, 'leadBranchId' | 'coBranchIds'>): boolean {
  if (seesAllPairings(user)) return true;
  return user.branchId !== null && (pairing.leadBranchId === user.branchId || pairing.coBranchIds.includes(user.branchId));
}

/** In which capacities this user may act on this pairing, as the machine's EVENT_ACTORS names them. */
export function capacitiesOf(user: RequestUser, pairing: Pick<Pairing, 'leadBranchId' | 'liaisonUserId'>): Set<PairingActor> {
  const capacities = new Set<PairingActor>();
  if (!user.active) return capacities;
  if (user.roles.includes('secretary') && user.branchId === pairing.leadBranchId) capacities.add('leadSecretary');
  if (pairing.liaisonUserId === user.id && user.branchId === pairing.leadBranchId) capacities.add('liaison');
  if (user.roles.includes('committee')) capacities.add('committee');
  return capacities;
}

/** The attachments' question, answered by the pairing's own rule. */
@Injectable()
export class EnginePairingVisibility extends PairingVisibility {
  async canSee(m: EntityManager, user: RequestUser, pairingId: number): Promise<boolean> {
    const pairing = await m.findOne(Pairing, { where: { id: pairingId }, select: { id: true, leadBranchId: true, coBranchIds: true } });
    return pairing !== null && canSeePairing(user, pairing);
  }
}
