import { Injectable } from '@nestjs/common';
import { DomainError } from '../common/errors';
import { DatabaseService } from '../database/database.service';
import { CourtDirectory } from './court-directory';
import { CourtScope } from './court-scope';
import type { User } from './user.entity';

/** What a request may read: `scope` for lists and reports (narrowed by `courtId=`), `reach` for one row by id. */
export interface RequestScopes {
  scope: CourtScope;
  reach: CourtScope;
}

export const COURT_ID_PARAM = /^(all|[1-9]\d{0,8})$/;

/**
 * Resolves the request's courts once, from the user as the guard just read them. Everyone reads their own
 * court; a supervisor also every court below theirs (recursively) — one read of the small court table, and
 * only for supervisors, so the write path of everyone else costs nothing. `courtId=<id>` narrows a
 * supervisor's lists to one of those courts, `courtId=all` widens them to all of them; without it, everyone
 * sees their own court. A court outside what the user may read is answered like one that does not exist.
 */
@Injectable()
export class CourtScopes {
  constructor(
    private readonly db: DatabaseService,
    private readonly courts: CourtDirectory,
  ) {}

  async resolve(user: Pick<User, 'courtId' | 'roles'>, courtIdParam: unknown): Promise<RequestScopes> {
    const own = CourtScope.own(user);
    const supervisor = user.roles.includes('supervisor');
    const reach = supervisor
      ? CourtScope.across(
          user.courtId,
          (await this.db.read((m) => this.courts.subtree(m, user.courtId))).map((court) => court.id),
        )
      : own;
    // A malformed value is left to the route's validation (400); none means the user's own court.
    if (typeof courtIdParam !== 'string' || !COURT_ID_PARAM.test(courtIdParam)) return { scope: own, reach };
    if (courtIdParam === 'all') return { scope: reach, reach };
    const courtId = Number(courtIdParam);
    if (!reach.includes(courtId)) {
      throw new DomainError(404, 'NOT_FOUND', `No court ${courtId} is yours to read.`, [
        { field: 'courtId', messages: [`court ${courtId} does not exist`] },
      ]);
    }
    return { scope: courtId === user.courtId ? own : CourtScope.across(user.courtId, [courtId]), reach };
  }
}
