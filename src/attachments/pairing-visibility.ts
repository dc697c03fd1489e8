import type { EntityManager } from 'typeorm';
import type { RequestUser } from '../identity/current-user.decorator';
import type { CourtScope } from '../identity/court-scope';

/**
 * Whether a user may see a pairing, asked by the attachment download. The pairing's access rules live
 * with the pairing (workflow-engine); this port keeps the imports one way: the engine implements it.
 * `reach`: the courts the user reads one pairing of (a supervisor's own and those below it), as for the pairing itself.
 */
export abstract class PairingVisibility {
  abstract canSee(m: EntityManager, user: RequestUser, pairingId: number, reach: CourtScope): Promise<boolean>;
}
