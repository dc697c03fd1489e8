import type { EntityManager } from 'typeorm';
import type { RequestUser } from '../identity/current-user.decorator';

/**
 * Whether a user may see a pairing, asked by the attachment download. The pairing's access rules live
 * with the pairing (workflow-engine); this port keeps the imports one way: the engine implements it.
 */
export abstract class PairingVisibility {
  abstract canSee(m: EntityManager, user: RequestUser, pairingId: number): Promise<boolean>;
}
