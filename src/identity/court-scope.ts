import { In } from 'typeorm';

/**
 * The courts one request may read, resolved once from the signed-in user (§11). Every repository query on
 * court-owned rows takes one and filters by it, so no service remembers a `where` of its own; a row outside
 * it is answered exactly like one that does not exist. `courtId` is the user's own court: the one written to.
 */
export class CourtScope {
  private constructor(
    readonly courtId: number,
    readonly courtIds: readonly number[],
  ) {}

  /** The user's own court only: everyone's scope for writing, and for reading without `courtId=`. */
  static own(user: { courtId: number }): CourtScope {
    return new CourtScope(user.courtId, [user.courtId]);
  }

  /** Several courts to read (a supervisor's own and those below it); the first is the user's own. */
  static across(ownCourtId: number, courtIds: readonly number[]): CourtScope {
    return new CourtScope(ownCourtId, [...new Set(courtIds)]);
  }

  includes(courtId: number | null | undefined): boolean {
    return courtId !== null && courtId !== undefined && this.courtIds.includes(courtId);
  }

  /** Whether it reaches beyond the user's own court. */
  get crossCourt(): boolean {
    return this.courtIds.length > 1 || this.courtIds[0] !== this.courtId;
  }

  /** For TypeORM find options: `{ where: { ...scope.where(), … } }`. */
  where(): { courtId: number | ReturnType<typeof In<number>> } {
    return { courtId: this.courtIds.length === 1 ? this.courtIds[0] : In([...this.courtIds]) };
  }

  /** For plain SQL and query builders: `<column> IN (?, …)` with its parameters. */
  sql(column = '`court_id`'): { sql: string; params: number[] } {
    return { sql: `${column} IN (${this.courtIds.map(() => '?').join(', ')})`, params: [...this.courtIds] };
  }

  /** For query builders with named parameters: `[condition, parameters]`. */
  qb(alias: string): [string, Record<string, unknown>] {
    return [`${alias}.court_id IN (:...scopeCourtIds)`, { scopeCourtIds: [...this.courtIds] }];
  }
}
