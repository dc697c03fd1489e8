import { Injectable } from '@nestjs/common';
import { referenceKind } from '../../workflows';
import { collectReferences, NameRequest } from '../audit/audit-subjects';
import { DatabaseService } from '../database/database.service';
import { CourtScope } from '../identity/court-scope';
import type { RequestUser } from '../identity/current-user.decorator';
import { PairingsService } from '../pairings/pairings.service';
import { approvedRevision, Revision, revisionsOf } from '../pairings/revisions';
import { readsAsPartner } from '../workflow-engine/pairing-access';
import { PairingNames } from './pairing-names';

export interface RevisionView extends Revision {
  submittedByName: string | null;
  /** Names for the ids in this revision and the one before it (users, branches, partners), by kind and id. */
  names: Record<'users' | 'branches' | 'partners', Record<string, string>>;
}

/** The revision the committee approved, alone: nothing to compare it with. */
function asApproved(revisions: Revision[]): Revision[] {
  const approved = approvedRevision(revisions);
  return approved ? [{ ...approved, changes: [] }] : [];
}

/** GET /api/pairings/:id/revisions: what was submitted each time, and what changed since the time before. */
@Injectable()
export class RevisionsService {
  constructor(
    private readonly pairings: PairingsService,
    private readonly db: DatabaseService,
    private readonly names: PairingNames,
  ) {}

  /** `reach`: the courts the user may read one pairing of (a supervisor's courts and those below). */
  async revisions(user: RequestUser, pairingId: number, reach?: CourtScope): Promise<RevisionView[]> {
    const all = revisionsOf(await this.pairings.chain(user, pairingId, reach));
    // SPEC §12: a partner's user reads the proposal as approved, not the ones returned before it.
    const revisions = readsAsPartner(user) !== null ? asApproved(all) : all;
    const wanted: NameRequest = { user: new Set() };
    for (const revision of revisions) {
      collectReferences(revision.proposal, wanted, referenceKind);
      if (revision.submittedBy !== null) wanted.user!.add(Number(revision.submittedBy));
      if (revision.outcome?.actorId) wanted.user!.add(Number(revision.outcome.actorId));
    }
    const lookup = await this.db.read((m) => this.names.names(m, wanted));
    const name = (kind: 'user' | 'branch' | 'partner', id: unknown) =>
      id === null || id === undefined ? undefined : lookup(kind, id as number);
    return revisions.map((revision, i) => {
      const seen: NameRequest = {};
      collectReferences([revision.proposal, revisions[i - 1]?.proposal ?? null], seen, referenceKind);
      const table = (kind: 'user' | 'branch' | 'partner') =>
        Object.fromEntries([...(seen[kind] ?? [])].flatMap((id) => (name(kind, id) ? [[String(id), name(kind, id)!]] : [])));
      return {
        ...revision,
        submittedByName: name('user', revision.submittedBy) ?? null,
        names: { users: table('user'), branches: table('branch'), partners: table('partner') },
      };
    });
  }
}
