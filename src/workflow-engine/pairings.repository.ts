import { Injectable, OnModuleInit } from '@nestjs/common';
import { Brackets, DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import { Attachment } from '../attachments/attachment.entity';
import { AuditEvent } from '../audit/audit-event.entity';
import { DatabaseService } from '../database/database.service';
import { RowCodec } from '../database/row-codec';
import { select, writeLater } from '../database/sql';
import { CourtScope } from '../identity/court-scope';
import { CourtCodeCounter } from '../identity/court.entity';
import { Pairing, PairingBranch } from './pairing.entity';
import {
  Activity,
  ActivityConfirmation,
  Agreement,
  Countersignature,
  PartnerEvaluation,
  Plan,
  QuarterReport,
  YearEndReview,
} from './records.entity';

export interface PairingFilter {
  state?: string;
  year?: number;
  branchId?: number;
  q?: string;
  /** Limit to pairings where this branch leads or joins (secretaries and members). */
  visibleToBranchId?: number | null;
  /** Limit to pairings of this partner in `states`, or in `statesIfApproved` once approved (partner users). */
  visibleToPartner?: { partnerId: number; states: readonly string[]; statesIfApproved: readonly string[] };
  page: number;
  pageSize: number;
}

/** What a pairing's year has recorded besides the pairing row, oldest first. */
export interface PairingRecords {
  agreement: Agreement | null;
  plans: Plan[];
  activities: Activity[];
  reports: QuarterReport[];
  reviews: YearEndReview[];
  /** The partner side (SPEC §12). */
  countersignatures: Countersignature[];
  confirmations: ActivityConfirmation[];
  evaluations: PartnerEvaluation[];
}

export const NO_RECORDS: PairingRecords = {
  agreement: null,
  plans: [],
  activities: [],
  reports: [],
  reviews: [],
  countersignatures: [],
  confirmations: [],
  evaluations: [],
};

/** The audit row of a pairing's chain, as hashed (payload as canonical JSON text). */
export interface ChainLink {
  chain: string;
  seq: number;
  at: string;
  actorId: string | null;
  type: string;
  fromState: string | null;
  toState: string | null;
  payload: string | null;
  comment: string | null;
  prevHash: string;
  hash: string;
}

/**
 * Named queries on pairings and their records; no rules here. The transition's own statements are plain
 * SQL through RowCodec (one statement each, no query building or hydration); the list keeps the query builder.
 */
@Injectable()
export class PairingsRepository implements OnModuleInit {
  private pairing!: RowCodec<Pairing>;
  readonly agreements!: RowCodec<Agreement>;
  readonly plans!: RowCodec<Plan>;
  readonly activities!: RowCodec<Activity>;
  readonly reports!: RowCodec<QuarterReport>;
  readonly reviews!: RowCodec<YearEndReview>;
  readonly countersignatures!: RowCodec<Countersignature>;
  readonly confirmations!: RowCodec<ActivityConfirmation>;
  readonly evaluations!: RowCodec<PartnerEvaluation>;
  private attachment!: RowCodec<Attachment>;
  private lockSuffix = '';

  constructor(
    private readonly db: DatabaseService,
    private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    const codec = <E extends object>(entity: new () => E) => new RowCodec<E>(this.dataSource, entity);
    Object.assign(this, {
      pairing: codec(Pairing),
      agreements: codec(Agreement),
      plans: codec(Plan),
      activities: codec(Activity),
      reports: codec(QuarterReport),
      reviews: codec(YearEndReview),
      countersignatures: codec(Countersignature),
      confirmations: codec(ActivityConfirmation),
      evaluations: codec(PartnerEvaluation),
      attachment: codec(Attachment),
    });
    // SQLite serialises writers already (DatabaseService); MySQL locks the row for the transaction.
    this.lockSuffix = this.db.engine === 'mysql' ? ' FOR UPDATE' : '';
  }

  /**
   * The pairing, locked until the transaction ends. Its court is checked by the caller against the sender
   * (the row is read anyway), so a transition costs no statement more than it did in one court.
   */
  findForUpdate(m: EntityManager, id: number): Promise<Pairing | null> {
    return this.pairing.findOne(m, '`id` = ?', [id], this.lockSuffix);
  }

  /** The pairing if it lies within the scope; another court's is answered like one that does not exist. */
  async findById(m: EntityManager, scope: CourtScope, id: number): Promise<Pairing | null> {
    const court = scope.sql();
    return this.pairing.findOne(m, `\`id\` = ? AND ${court.sql}`, [id, ...court.params]);
  }

  insertPairing(m: EntityManager, row: Omit<Pairing, 'id'>): Promise<number> {
    return this.pairing.insert(m, row);
  }

  /**
   * Writes the pairing's new columns if it is still at `version`, held back to ride with the transaction's
   * COMMIT (`writeLater`). The row lock makes a miss impossible on MySQL, the write mutex on SQLite; should a
   * bug make one, the chain's unique (chain, seq) key refuses the link at `version + 1` that goes before this
   * update, and the server runs nothing after it: a version moves only with its audit event.
   */
  savePairing(m: EntityManager, id: number, version: number, changes: Partial<Pairing>): Promise<void> {
    return this.pairing.update(m, changes, '`id` = ? AND `version` = ?', [id, version]);
  }

  /** The chain's next link, sent with the transaction's next statement (`writeLater`). */
  async appendToChain(m: EntityManager, link: ChainLink): Promise<void> {
    await writeLater(
      m,
      'INSERT INTO `audit_event` (`chain`, `seq`, `at`, `actor_id`, `type`, `from_state`, `to_state`, `payload`, `comment`, `prev_hash`, `hash`) ' +
        'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [
        link.chain,
        link.seq,
        link.at,
        link.actorId,
        link.type,
        link.fromState,
        link.toState,
        link.payload,
        link.comment,
        link.prevHash,
        link.hash,
      ],
    );
  }

  /** The next <courtCode>-<year>-<seq> code, counted per court and year; the counter row is locked for the rest of the transaction. */
  async nextCode(m: EntityManager, court: { id: number; code: string }, year: number): Promise<string> {
    const key = { courtId: court.id, year };
    const counter = await this.db.findForUpdate(m, CourtCodeCounter, { where: key });
    const next = (counter?.last ?? 0) + 1;
    if (counter) await m.update(CourtCodeCounter, key, { last: next });
    else await m.insert(CourtCodeCounter, { ...key, last: next });
    return `${court.code}-${year}-${String(next).padStart(3, '0')}`;
  }

  async replaceBranches(m: EntityManager, pairing: Pick<Pairing, 'id' | 'leadBranchId' | 'coBranchIds'>) {
    await m.delete(PairingBranch, { pairingId: pairing.id });
    const rows = [
      { pairingId: pairing.id, branchId: pairing.leadBranchId, role: 'lead' as const },
      ...pairing.coBranchIds.map((branchId) => ({ pairingId: pairing.id, branchId, role: 'co' as const })),
    ];
    await m.insert(PairingBranch, rows);
  }

  async list(m: EntityManager, scope: CourtScope, filter: PairingFilter): Promise<[Pairing[], number]> {
    const qb = m.createQueryBuilder(Pairing, 'p').where(...scope.qb('p'));
    if (filter.visibleToBranchId !== undefined) {
      qb.innerJoin(PairingBranch, 'vb', 'vb.pairing_id = p.id AND vb.branch_id = :visible', { visible: filter.visibleToBranchId ?? -1 });
    }
    if (filter.visibleToPartner) {
      // partner_ids is a JSON array as JSON.stringify writes it ([3] or [1,3,7]): match the id as a whole element.
      const id = String(filter.visibleToPartner.partnerId);
      qb.andWhere(
        new Brackets((w) =>
          w
            .where('p.partner_ids = :only', { only: `[${id}]` })
            .orWhere('p.partner_ids LIKE :first', { first: `[${id},%` })
            .orWhere('p.partner_ids LIKE :last', { last: `%,${id}]` })
            .orWhere('p.partner_ids LIKE :inner', { inner: `%,${id},%` }),
        ),
      );
      const { states, statesIfApproved } = filter.visibleToPartner;
      qb.andWhere(
        new Brackets((w) =>
          w
            .where('p.state IN (:...partnerStates)', { partnerStates: states })
            .orWhere(
              new Brackets((v) =>
                v
                  .where('p.state IN (:...partnerStatesIfApproved)', { partnerStatesIfApproved: statesIfApproved })
                  .andWhere(this.approved(qb)),
              ),
            ),
        ),
      );
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

  /** Of these pairings, the ids of those the committee approved at some point. */
  async everApproved(m: EntityManager, pairingIds: number[]): Promise<Set<number>> {
    if (!pairingIds.length) return new Set();
    const qb = m.createQueryBuilder(Pairing, 'p').select('p.id', 'id').where('p.id IN (:...approvedIds)', { approvedIds: pairingIds });
    const rows: { id: number | string }[] = await qb.andWhere(this.approved(qb)).getRawMany();
    return new Set(rows.map((r) => Number(r.id)));
  }

  /** The condition "the pairing `p` of this query was approved at some point": its chain holds an APPROVE. */
  private approved(qb: SelectQueryBuilder<Pairing>): string {
    const chain = this.db.engine === 'mysql' ? "CONCAT('pairing:', p.id)" : "('pairing:' || p.id)";
    const approvals = qb.subQuery().select('1').from(AuditEvent, 'ae').where(`ae.chain = ${chain}`).andWhere("ae.type = 'APPROVE'");
    return `EXISTS ${approvals.getQuery()}`;
  }

  async records(m: EntityManager, pairingId: number): Promise<PairingRecords> {
    const where = '`pairing_id` = ?';
    const [agreements, plans, activities, reports, reviews, countersignatures, confirmations, evaluations] = await Promise.all([
      this.agreements.findMany(m, where, [pairingId], '`id` DESC'),
      this.plans.findMany(m, where, [pairingId], '`id` ASC'),
      this.activities.findMany(m, where, [pairingId], '`held_on` ASC, `id` ASC'),
      this.reports.findMany(m, where, [pairingId], '`id` ASC'),
      this.reviews.findMany(m, where, [pairingId], '`id` ASC'),
      this.countersignatures.findMany(m, where, [pairingId], '`id` ASC'),
      this.confirmations.findMany(m, where, [pairingId], '`id` ASC'),
      this.evaluations.findMany(m, where, [pairingId], '`id` ASC'),
    ]);
    return { agreement: agreements[0] ?? null, plans, activities, reports, reviews, countersignatures, confirmations, evaluations };
  }

  /** Whether the user is active, and in which branch (null when there is no such user). */
  async userStanding(m: EntityManager, userId: number): Promise<{ active: boolean; branchId: number | null } | null> {
    const rows: { active: unknown; branchId: unknown }[] = await select(
      m,
      'SELECT `active` AS `active`, `branch_id` AS `branchId` FROM `user` WHERE `id` = ?',
      [userId],
    );
    if (!rows.length) return null;
    return { active: Boolean(Number(rows[0].active)), branchId: rows[0].branchId === null ? null : Number(rows[0].branchId) };
  }

  /** Active users among these ids, with their branch (liaisons in a list). */
  async activeBranchOf(m: EntityManager, ids: (number | null)[]): Promise<Map<number, number | null>> {
    const wanted = [...new Set(ids.filter((id): id is number => id !== null))];
    if (!wanted.length) return new Map();
    const rows: { id: unknown; branchId: unknown }[] = await select(
      m,
      `SELECT \`id\` AS \`id\`, \`branch_id\` AS \`branchId\` FROM \`user\` WHERE \`active\` = 1 AND \`id\` IN (${wanted.map(() => '?').join(', ')})`,
      wanted,
    );
    return new Map(rows.map((r) => [Number(r.id), r.branchId === null ? null : Number(r.branchId)]));
  }

  attachmentsById(m: EntityManager, ids: number[]): Promise<Attachment[]> {
    return this.attachment.findMany(m, `\`id\` IN (${ids.map(() => '?').join(', ')})`, ids, '`id` ASC');
  }

  async linkAttachments(m: EntityManager, pairingId: number, ids: number[]): Promise<void> {
    await this.attachment.update(m, { pairingId }, `\`id\` IN (${ids.map(() => '?').join(', ')})`, ids);
  }
}
