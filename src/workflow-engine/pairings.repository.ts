import { Injectable } from '@nestjs/common';
import { Brackets, EntityManager, In } from 'typeorm';
import { DatabaseService } from '../database/database.service';
import { User } from '../identity/user.entity';
import { Pairing, PairingBranch, PairingCodeCounter } from './pairing.entity';
import { Activity, Agreement, Plan, QuarterReport, YearEndReview } from './records.entity';

export interface PairingFilter {
  state?: string;
  year?: number;
  branchId?: number;
  q?: string;
  /** Limit to pairings where this branch leads or joins (secretaries and members). */
  visibleToBranchId?: number | null;
  page: number;
  pageSize: number;
}

export interface PairingRecords {
  agreement: Agreement | null;
  plans: Plan[];
  activities: Activity[];
  reports: QuarterReport[];
  reviews: YearEndReview[];
}

/** Named queries on pairings and their records; no rules here. */
@Injectable()
export class PairingsRepository {
  constructor(private readonly db: DatabaseService) {}

  findForUpdate(m: EntityManager, id: number) {
    return this.db.findForUpdate(m, Pairing, { where: { id } });
  }

  findById(m: EntityManager, id: number) {
    return m.findOne(Pairing, { where: { id } });
  }

  /** The next GJ-<year>-<seq> code; the counter row is locked for the rest of the transaction. */
  async nextCode(m: EntityManager, year: number): Promise<string> {
    const counter = await this.db.findForUpdate(m, PairingCodeCounter, { where: { year } });
    const next = (counter?.last ?? 0) + 1;
    if (counter) await m.update(PairingCodeCounter, { year }, { last: next });
    else await m.insert(PairingCodeCounter, { year, last: next });
    return `GJ-${year}-${String(next).padStart(3, '0')}`;
  }

  async replaceBranches(m: EntityManager, pairing: Pick<Pairing, 'id' | 'leadBranchId' | 'coBranchIds'>) {
    await m.delete(PairingBranch, { pairingId: pairing.id });
    const rows = [
      { pairingId: pairing.id, branchId: pairing.leadBranchId, role: 'lead' as const },
      ...pairing.coBranchIds.map((branchId) => ({ pairingId: pairing.id, branchId, role: 'co' as const })),
    ];
    await m.insert(PairingBranch, rows);
  }

  async list(m: EntityManager, filter: PairingFilter): Promise<[Pairing[], number]> {
    const qb = m.createQueryBuilder(Pairing, 'p');
    if (filter.visibleToBranchId !== undefined) {
      qb.innerJoin(PairingBranch, 'vb', 'vb.pairing_id = p.id AND vb.branch_id = :visible', { visible: filter.visibleToBranchId ?? -1 });
    }
    if (filter.branchId !== undefined) {
      qb.innerJoin(PairingBranch, 'fb', 'fb.pairing_id = p.id AND fb.branch_id = :branch', { branch: filter.branchId });
    }
    if (filter.state) {
      // "active" matches both active.* states.
      if (filter.state === 'active') qb.andWhere('p.state IN (:...active)', { active: ['active.collecting', 'active.reportSubmitted'] });
      else qb.andWhere('p.state = :state', { state: filter.state });
    }
    if (filter.year !== undefined) qb.andWhere('p.year = :year', { year: filter.year });
    if (filter.q) {
      // SQLite has no default LIKE escape and MySQL reads '\\' differently inside a literal: name one both read alike.
      const like = `%${filter.q.replace(/[!%_]/g, (c) => `!${c}`)}%`;
      qb.andWhere(
        new Brackets((w) => w.where("p.code LIKE :like ESCAPE '!'", { like }).orWhere("p.title LIKE :like ESCAPE '!'", { like })),
      );
    }
    return qb
      .orderBy('p.id', 'DESC')
      .skip((filter.page - 1) * filter.pageSize)
      .take(filter.pageSize)
      .getManyAndCount();
  }

  async records(m: EntityManager, pairingId: number): Promise<PairingRecords> {
    const [agreement, plans, activities, reports, reviews] = await Promise.all([
      m.findOne(Agreement, { where: { pairingId }, order: { id: 'DESC' } }),
      m.find(Plan, { where: { pairingId }, order: { id: 'ASC' } }),
      m.find(Activity, { where: { pairingId }, order: { heldOn: 'ASC', id: 'ASC' } }),
      m.find(QuarterReport, { where: { pairingId }, order: { id: 'ASC' } }),
      m.find(YearEndReview, { where: { pairingId }, order: { id: 'ASC' } }),
    ]);
    return { agreement, plans, activities, reports, reviews };
  }

  /** Active liaisons among these user ids (an inactive liaison counts as unset). */
  async activeUsers(m: EntityManager, ids: (number | null)[]): Promise<Map<number, User>> {
    const wanted = [...new Set(ids.filter((id): id is number => id !== null))];
    if (!wanted.length) return new Map();
    const users = await m.find(User, { where: { id: In(wanted), active: true } });
    return new Map(users.map((u) => [u.id, u]));
  }

  countActivities(m: EntityManager, pairingId: number, quarter: number, kind: string) {
    return m.count(Activity, { where: { pairingId, quarter, kind: kind as Activity['kind'], voided: false } });
  }
}
