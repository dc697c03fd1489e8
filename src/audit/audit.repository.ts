import { Injectable } from '@nestjs/common';
import { Brackets, EntityManager, In, SelectQueryBuilder } from 'typeorm';
import { CourtScope } from '../identity/court-scope';
import { DatabaseService } from '../database/database.service';
import { AuditChainHead, AuditEvent } from './audit-event.entity';
import { User } from '../identity/user.entity';
import type { ChainHeadRow, StoredAuditEvent } from './chain-verifier';

const STORED_COLUMNS = ['chain', 'seq', 'at', 'actorId', 'type', 'fromState', 'toState', 'payload', 'comment', 'prevHash', 'hash'] as const;
/** The table's column of each stored property (audit-event.entity.ts). */
const COLUMN_NAMES: Record<(typeof STORED_COLUMNS)[number], string> = {
  chain: 'chain',
  seq: 'seq',
  at: 'at',
  actorId: 'actor_id',
  type: 'type',
  fromState: 'from_state',
  toState: 'to_state',
  payload: 'payload',
  comment: 'comment',
  prevHash: 'prev_hash',
  hash: 'hash',
};

/**
 * The chains of the courts a request may read: their system chains by name, their pairings' chains by the
 * pairing's court. Null when the request may read every court of the installation (nothing to filter).
 */
export type AuditTrail = { systemChains: string[]; courtIds: number[] } | null;

export interface AuditEventFilter {
  /** Required: which courts' chains (null: every chain). */
  trail: AuditTrail;
  chain?: string;
  /** Events by any of these actors. */
  actorIds?: string[];
  type?: string;
  /** ISO instants, inclusive, compared with `at` (stored in the same form, so text order is time order). */
  from?: string;
  to?: string;
}

export interface AuditEventPageFilter extends AuditEventFilter {
  page: number;
  pageSize: number;
}

/** A position in (chain, seq) order; the next batch starts after it. */
export interface ChainCursor {
  chain: string;
  seq: number;
}

const PAIRING_CHAIN = /^pairing:(\d+)$/;
const pairingIdOf = (chain: string): number | null => {
  const match = PAIRING_CHAIN.exec(chain);
  return match ? Number(match[1]) : null;
};
const pairingChainOf = (id: number) => `pairing:${id}`;
/** The slice of a better-sqlite3 statement used here. */
interface SqliteStatement {
  all(...params: unknown[]): StoredAuditEvent[];
}

/** Named queries on the audit tables; no rules here. Nothing in this class writes. */
@Injectable()
export class AuditRepository {
  /** The few statements of the long reads, prepared once (by SQL text) on each SQLite connection. */
  private readonly statements = new WeakMap<object, Map<string, SqliteStatement>>();

  constructor(private readonly db: DatabaseService) {}

  /**
   * A long read's statement straight on better-sqlite3, prepared once: a million rows read through the ORM's
   * query runner (statement lookup, logging, broadcasting per batch) cost a third more. Always called inside
   * DatabaseService.read, on the read-only connection (or the writer's, serialised, where there is none).
   */
  private sqliteStatement(m: EntityManager, sql: string): SqliteStatement {
    const connection = (m.connection.driver as unknown as { databaseConnection: { prepare(sql: string): SqliteStatement } })
      .databaseConnection;
    let prepared = this.statements.get(connection);
    if (!prepared) this.statements.set(connection, (prepared = new Map()));
    let statement = prepared.get(sql);
    if (!statement) {
      statement = connection.prepare(sql);
      if (prepared.size > 50) prepared.clear();
      prepared.set(sql, statement);
    }
    return statement;
  }

  page(m: EntityManager, filter: AuditEventPageFilter): Promise<[AuditEvent[], number]> {
    const qb = filtered(m.createQueryBuilder(AuditEvent, 'e'), filter);
    const trail = this.trailSql(filter.trail, 'e', true);
    if (trail) qb.andWhere(trail.sql, Object.fromEntries(trail.params.map((value, i) => [`trail${i}`, value])));
    return qb
      .orderBy('e.chain', 'ASC')
      .addOrderBy('e.seq', 'ASC')
      .skip((filter.page - 1) * filter.pageSize)
      .take(filter.pageSize)
      .getManyAndCount();
  }

  /**
   * The next `limit` events after `after` in (chain, seq) order, through the unique (chain, seq) index;
   * with `chain`, only that chain's. Each engine gets the keyset form its planner turns into an index
   * range: SQLite scans the whole index for the OR form but seeks for a row value, MariaDB the reverse.
   */
  async eventsAfter(
    m: EntityManager,
    after: ChainCursor | null,
    limit: number,
    chain: string | undefined,
    filter: Omit<AuditEventFilter, 'chain'>,
  ): Promise<StoredAuditEvent[]> {
    // Plain SQL and raw rows: building a query and hydrating entities a thousand times over costs more than reading them.
    const q = this.quote;
    const int = (n: number) => this.int(n);
    const where: string[] = [];
    const params: unknown[] = [];
    if (chain !== undefined) {
      where.push(`e.${q}chain${q} = ? AND e.${q}seq${q} > ?`);
      params.push(chain, int(after?.seq ?? 0));
    } else if (after) {
      where.push(this.db.engine === 'sqlite' ? '(e."chain", e."seq") > (?, ?)' : '(e.`chain` > ? OR (e.`chain` = ? AND e.`seq` > ?))');
      params.push(...(this.db.engine === 'sqlite' ? [after.chain, int(after.seq)] : [after.chain, after.chain, after.seq]));
    }
    const trail = this.trailSql(filter.trail, 'e');
    if (trail) {
      where.push(trail.sql);
      params.push(...trail.params);
    }
    if (filter.actorIds !== undefined) {
      if (!filter.actorIds.length) return [];
      where.push(`e.${q}actor_id${q} IN (${filter.actorIds.map(() => '?').join(', ')})`);
      params.push(...filter.actorIds);
    }
    if (filter.type !== undefined) {
      where.push(`e.${q}type${q} = ?`);
      params.push(filter.type);
    }
    if (filter.from !== undefined) {
      where.push(`e.${q}at${q} >= ?`);
      params.push(filter.from);
    }
    if (filter.to !== undefined) {
      where.push(`e.${q}at${q} <= ?`);
      params.push(filter.to);
    }
    const columns = STORED_COLUMNS.map((property) => `e.${q}${COLUMN_NAMES[property]}${q} AS ${q}${property}${q}`).join(', ');
    const sql =
      `SELECT ${columns} FROM ${q}audit_event${q} e${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ` +
      `ORDER BY e.${q}chain${q} ASC, e.${q}seq${q} ASC LIMIT ${Number(limit)}`;
    const rows = await this.raw<StoredAuditEvent>(m, sql, params);
    for (const row of rows) row.seq = Number(row.seq);
    return rows;
  }

  /** Active or not: users (of the scope's courts; null: of every court) whose username is `text` or whose display name contains it. */
  usersMatching(m: EntityManager, scope: CourtScope | null, text: string): Promise<Pick<User, 'id' | 'username' | 'displayName'>[]> {
    // SQLite has no default LIKE escape and MySQL reads '\\' differently inside a literal: name one both read alike.
    const like = `%${text.replace(/[!%_]/g, (c) => `!${c}`)}%`;
    const qb = m.createQueryBuilder(User, 'u').select(['u.id', 'u.username', 'u.displayName']);
    if (scope) qb.where(...scope.qb('u'));
    return qb
      .andWhere(
        new Brackets((w) => w.where('LOWER(u.username) = LOWER(:text)', { text }).orWhere("u.displayName LIKE :like ESCAPE '!'", { like })),
      )
      .orderBy('u.id', 'ASC')
      .getMany();
  }

  usersByIds(m: EntityManager, ids: number[]): Promise<Pick<User, 'id' | 'username' | 'displayName'>[]> {
    if (!ids.length) return Promise.resolve([]);
    return m.find(User, { select: { id: true, username: true, displayName: true }, where: { id: In(ids) } });
  }

  /**
   * The heads of these chains. A pairing's chain keeps its head on the pairing row (seq = `version`, hash =
   * `chain_hash`), written in the transaction that appends; every other chain has a row in audit_chain_head.
   */
  async headsOf(m: EntityManager, chains: string[]): Promise<ChainHeadRow[]> {
    const pairingIds = chains.map(pairingIdOf).filter((id): id is number => id !== null);
    const others = chains.filter((chain) => pairingIdOf(chain) === null);
    const q = this.quote;
    const heads: ChainHeadRow[] = [];
    if (pairingIds.length) {
      const rows = await this.raw<{ id: number | string; version: number | string; hash: string }>(
        m,
        `SELECT p.${q}id${q} AS ${q}id${q}, p.${q}version${q} AS ${q}version${q}, p.${q}chain_hash${q} AS ${q}hash${q} FROM ${q}pairing${q} p ` +
          `WHERE p.${q}id${q} IN (${pairingIds.map(() => '?').join(', ')})`,
        pairingIds.map((id) => this.int(id)),
      );
      heads.push(...rows.map((r) => ({ chain: pairingChainOf(Number(r.id)), seq: Number(r.version), hash: r.hash })));
    }
    if (others.length) {
      const rows = await this.raw<{ chain: string; seq: number | string; hash: string }>(
        m,
        `SELECT h.${q}chain${q} AS ${q}chain${q}, h.${q}seq${q} AS ${q}seq${q}, h.${q}hash${q} AS ${q}hash${q} FROM ${q}audit_chain_head${q} h ` +
          `WHERE h.${q}chain${q} IN (${others.map(() => '?').join(', ')})`,
        others,
      );
      heads.push(...rows.map((row) => ({ chain: row.chain, seq: Number(row.seq), hash: row.hash })));
    }
    return heads;
  }

  /** Heads that claim events (seq > 0) for a chain that has none: a chain deleted whole. */
  async headsWithoutEvents(m: EntityManager, trail: AuditTrail, chain?: string): Promise<ChainHeadRow[]> {
    const qb = m
      .createQueryBuilder(AuditChainHead, 'h')
      .where('h.seq > 0')
      .andWhere((sub) => `NOT EXISTS ${sub.subQuery().select('1').from(AuditEvent, 'e').where('e.chain = h.chain').getQuery()}`);
    if (chain !== undefined) qb.andWhere('h.chain = :chain', { chain });
    if (trail) qb.andWhere(trail.systemChains.length ? 'h.chain IN (:...systemChains)' : '1 = 0', { systemChains: trail.systemChains });
    const heads: ChainHeadRow[] = await qb.orderBy('h.chain', 'ASC').getMany();
    const onePairing = chain === undefined ? null : pairingIdOf(chain);
    if (chain !== undefined && onePairing === null) return heads;
    const chainExpr = this.db.engine === 'mysql' ? "CONCAT('pairing:', p.`id`)" : "('pairing:' || p.`id`)";
    const rows: { id: number | string; version: number | string; hash: string }[] = await m.query(
      'SELECT p.`id` AS `id`, p.`version` AS `version`, p.`chain_hash` AS `hash` FROM `pairing` p ' +
        `WHERE p.\`version\` > 0${onePairing === null ? '' : ' AND p.`id` = ?'}${trail ? ` AND p.\`court_id\` IN (${trail.courtIds.map(() => '?').join(', ') || 'NULL'})` : ''} ` +
        `AND NOT EXISTS (SELECT 1 FROM \`audit_event\` e WHERE e.\`chain\` = ${chainExpr}) ORDER BY p.\`id\``,
      [...(onePairing === null ? [] : [onePairing]), ...(trail ? trail.courtIds : [])],
    );
    return [...heads, ...rows.map((r) => ({ chain: pairingChainOf(Number(r.id)), seq: Number(r.version), hash: r.hash }))];
  }

  findEvent(m: EntityManager, chain: string, seq: number): Promise<AuditEvent | null> {
    return m.findOne(AuditEvent, { where: { chain, seq } });
  }

  /** The last event of up to `limit` chains after `afterChain`, in chain order: each chain's current head, from the events themselves. */
  async lastEventsAfter(m: EntityManager, trail: AuditTrail, afterChain: string | null, limit: number): Promise<ChainHeadRow[]> {
    const q = this.quote;
    const inTrail = this.trailSql(trail, 'x');
    const conditions = [...(afterChain === null ? [] : [`x.${q}chain${q} > ?`]), ...(inTrail ? [inTrail.sql] : [])];
    const sql =
      `SELECT e.${q}chain${q} AS ${q}chain${q}, e.${q}seq${q} AS ${q}seq${q}, e.${q}hash${q} AS ${q}hash${q} FROM ${q}audit_event${q} e ` +
      `INNER JOIN (SELECT x.${q}chain${q} AS ${q}chain${q}, MAX(x.${q}seq${q}) AS ${q}seq${q} FROM ${q}audit_event${q} x` +
      `${conditions.length ? ` WHERE ${conditions.join(' AND ')}` : ''} GROUP BY x.${q}chain${q} ORDER BY x.${q}chain${q} ASC LIMIT ${Number(limit)}) last ` +
      `ON last.${q}chain${q} = e.${q}chain${q} AND last.${q}seq${q} = e.${q}seq${q} ORDER BY e.${q}chain${q} ASC`;
    const params = [...(afterChain === null ? [] : [afterChain]), ...(inTrail?.params ?? [])];
    const rows = await this.raw<{ chain: string; seq: number | string; hash: string }>(m, sql, params);
    return rows.map((row) => ({ chain: row.chain, seq: Number(row.seq), hash: row.hash }));
  }

  /** The last seq of each of these chains that still has events. */
  async lastSeqsOf(m: EntityManager, trail: AuditTrail, chains: string[]): Promise<Map<string, number>> {
    if (!chains.length) return new Map();
    const q = this.quote;
    const inTrail = this.trailSql(trail, 'e');
    const rows = await this.raw<{ chain: string; seq: number | string }>(
      m,
      `SELECT e.${q}chain${q} AS ${q}chain${q}, MAX(e.${q}seq${q}) AS ${q}seq${q} FROM ${q}audit_event${q} e ` +
        `WHERE e.${q}chain${q} IN (${chains.map(() => '?').join(', ')})${inTrail ? ` AND ${inTrail.sql}` : ''} GROUP BY e.${q}chain${q}`,
      [...chains, ...(inTrail?.params ?? [])],
    );
    return new Map(rows.map((row) => [row.chain, Number(row.seq)]));
  }

  /** The court of each of these pairings' chains that names a pairing (by chain). */
  async courtsOfPairingChains(m: EntityManager, chains: string[]): Promise<Map<string, number>> {
    const ids = chains.map(pairingIdOf).filter((id): id is number => id !== null);
    if (!ids.length) return new Map();
    const q = this.quote;
    const rows = await this.raw<{ id: number | string; courtId: number | string }>(
      m,
      `SELECT p.${q}id${q} AS ${q}id${q}, p.${q}court_id${q} AS ${q}courtId${q} FROM ${q}pairing${q} p WHERE p.${q}id${q} IN (${ids.map(() => '?').join(', ')})`,
      ids.map((id) => this.int(id)),
    );
    return new Map(rows.map((row) => [pairingChainOf(Number(row.id)), Number(row.courtId)]));
  }

  /** The stored (chain, seq, hash) of each of these positions that exists. */
  async hashesAt(m: EntityManager, trail: AuditTrail, positions: ChainCursor[]): Promise<Pick<AuditEvent, 'chain' | 'seq' | 'hash'>[]> {
    if (!positions.length) return [];
    const q = this.quote;
    const inTrail = this.trailSql(trail, 'e');
    const rows = await this.raw<{ chain: string; seq: number | string; hash: string }>(
      m,
      // A row-value IN list: SQLite's expression tree would overflow on a thousand ORs.
      `SELECT e.${q}chain${q} AS ${q}chain${q}, e.${q}seq${q} AS ${q}seq${q}, e.${q}hash${q} AS ${q}hash${q} FROM ${q}audit_event${q} e ` +
        `WHERE (e.${q}chain${q}, e.${q}seq${q}) IN (${this.db.engine === 'sqlite' ? 'VALUES ' : ''}${positions.map(() => '(?, ?)').join(', ')})` +
        (inTrail ? ` AND ${inTrail.sql}` : ''),
      [...positions.flatMap(({ chain, seq }) => [chain, this.int(seq)]), ...(inTrail?.params ?? [])],
    );
    return rows.map((row) => ({ chain: row.chain, seq: Number(row.seq), hash: row.hash }));
  }

  /**
   * The trail as a condition on `alias`.chain: one of its system chains, or the chain of one of its courts'
   * pairings. `named` gives `:trailN` placeholders for the query builder instead of `?`.
   */
  private trailSql(trail: AuditTrail, alias: string, named = false): { sql: string; params: (string | number)[] } | null {
    if (!trail) return null;
    const q = named ? '' : this.quote;
    const params: (string | number)[] = [...trail.systemChains, ...trail.courtIds];
    let n = 0;
    const marks = (count: number) => (count ? Array.from({ length: count }, () => (named ? `:trail${n++}` : '?')).join(', ') : 'NULL');
    const chain = `${alias}.${q}chain${q}`;
    const pairingChain = this.db.engine === 'mysql' ? "CONCAT('pairing:', tp.`id`)" : '(\'pairing:\' || tp."id")';
    const systems = marks(trail.systemChains.length);
    const courts = marks(trail.courtIds.length);
    return {
      sql: `(${chain} IN (${systems}) OR ${chain} IN (SELECT ${pairingChain} FROM ${this.quote}pairing${this.quote} tp WHERE tp.${this.quote}court_id${this.quote} IN (${courts})))`,
      params,
    };
  }

  private get quote(): string {
    return this.db.engine === 'mysql' ? '`' : '"';
  }

  /** An integer parameter as each driver binds it exactly (better-sqlite3 binds a JS number as REAL). */
  private int(n: number): number | bigint {
    return this.db.engine === 'sqlite' ? BigInt(n) : n;
  }

  /** A read of the long operations in plain SQL: straight on better-sqlite3 (prepared once), through the pool on MySQL. */
  private async raw<T>(m: EntityManager, sql: string, params: unknown[]): Promise<T[]> {
    if (this.db.engine === 'sqlite') return this.sqliteStatement(m, sql).all(...params) as unknown as T[];
    return m.query(sql, params);
  }
}

function filtered<Q extends SelectQueryBuilder<AuditEvent>>(qb: Q, filter: AuditEventFilter): Q {
  if (filter.chain !== undefined) qb.andWhere('e.chain = :fchain', { fchain: filter.chain });
  if (filter.actorIds !== undefined) {
    if (filter.actorIds.length) qb.andWhere('e.actorId IN (:...actorIds)', { actorIds: filter.actorIds });
    else qb.andWhere('1 = 0');
  }
  if (filter.type !== undefined) qb.andWhere('e.type = :type', { type: filter.type });
  if (filter.from !== undefined) qb.andWhere('e.at >= :from', { from: filter.from });
  if (filter.to !== undefined) qb.andWhere('e.at <= :to', { to: filter.to });
  return qb;
}
