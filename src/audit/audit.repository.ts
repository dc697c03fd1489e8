import { Injectable } from '@nestjs/common';
import { Brackets, EntityManager, In, SelectQueryBuilder } from 'typeorm';
import { DatabaseService } from '../database/database.service';
import { AuditChainHead, AuditEvent } from './audit-event.entity';
import { User } from '../identity/user.entity';
import type { ChainHeadRow, StoredAuditEvent } from './chain-verifier';

const STORED_COLUMNS = ['chain', 'seq', 'at', 'actorId', 'type', 'fromState', 'toState', 'payload', 'comment', 'prevHash', 'hash'] as const;

export interface AuditEventFilter {
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

/** Named queries on the audit tables; no rules here. Nothing in this class writes. */
@Injectable()
export class AuditRepository {
  constructor(private readonly db: DatabaseService) {}

  page(m: EntityManager, filter: AuditEventPageFilter): Promise<[AuditEvent[], number]> {
    return filtered(m.createQueryBuilder(AuditEvent, 'e'), filter)
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
    chain?: string,
    filter: Omit<AuditEventFilter, 'chain'> = {},
  ): Promise<StoredAuditEvent[]> {
    // Raw rows: hydrating a million entities costs more than reading them.
    const qb = filtered(m.createQueryBuilder(AuditEvent, 'e').select('e.chain', 'chain'), filter);
    for (const column of STORED_COLUMNS.slice(1)) qb.addSelect(`e.${column}`, column);
    if (chain !== undefined) {
      qb.andWhere('e.chain = :chain AND e.seq > :seq', { chain, seq: after?.seq ?? 0 });
    } else if (after) {
      qb.andWhere(
        this.db.engine === 'sqlite' ? '(e.chain, e.seq) > (:chain, :seq)' : '(e.chain > :chain OR (e.chain = :chain AND e.seq > :seq))',
        after,
      );
    }
    const rows: StoredAuditEvent[] = await qb.orderBy('e.chain', 'ASC').addOrderBy('e.seq', 'ASC').limit(limit).getRawMany();
    for (const row of rows) row.seq = Number(row.seq);
    return rows;
  }

  /** Active or not: users whose username is `text` or whose display name contains it. */
  usersMatching(m: EntityManager, text: string): Promise<Pick<User, 'id' | 'username' | 'displayName'>[]> {
    // SQLite has no default LIKE escape and MySQL reads '\\' differently inside a literal: name one both read alike.
    const like = `%${text.replace(/[!%_]/g, (c) => `!${c}`)}%`;
    return m
      .createQueryBuilder(User, 'u')
      .select(['u.id', 'u.username', 'u.displayName'])
      .where('LOWER(u.username) = LOWER(:text)', { text })
      .orWhere("u.displayName LIKE :like ESCAPE '!'", { like })
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
    const heads: ChainHeadRow[] = [];
    if (pairingIds.length) {
      const rows: { id: number | string; version: number | string; hash: string }[] = await m.query(
        `SELECT \`id\` AS \`id\`, \`version\` AS \`version\`, \`chain_hash\` AS \`hash\` FROM \`pairing\` WHERE \`id\` IN (${pairingIds.map(() => '?').join(', ')})`,
        pairingIds,
      );
      heads.push(...rows.map((r) => ({ chain: pairingChainOf(Number(r.id)), seq: Number(r.version), hash: r.hash })));
    }
    if (others.length) heads.push(...(await m.find(AuditChainHead, { where: { chain: In(others) } })));
    return heads;
  }

  /** Heads that claim events (seq > 0) for a chain that has none: a chain deleted whole. */
  async headsWithoutEvents(m: EntityManager, chain?: string): Promise<ChainHeadRow[]> {
    const qb = m
      .createQueryBuilder(AuditChainHead, 'h')
      .where('h.seq > 0')
      .andWhere((sub) => `NOT EXISTS ${sub.subQuery().select('1').from(AuditEvent, 'e').where('e.chain = h.chain').getQuery()}`);
    if (chain !== undefined) qb.andWhere('h.chain = :chain', { chain });
    const heads: ChainHeadRow[] = await qb.orderBy('h.chain', 'ASC').getMany();
    const onePairing = chain === undefined ? null : pairingIdOf(chain);
    if (chain !== undefined && onePairing === null) return heads;
    const chainExpr = this.db.engine === 'mysql' ? "CONCAT('pairing:', p.`id`)" : "('pairing:' || p.`id`)";
    const rows: { id: number | string; version: number | string; hash: string }[] = await m.query(
      'SELECT p.`id` AS `id`, p.`version` AS `version`, p.`chain_hash` AS `hash` FROM `pairing` p ' +
        `WHERE p.\`version\` > 0${onePairing === null ? '' : ' AND p.`id` = ?'} ` +
        `AND NOT EXISTS (SELECT 1 FROM \`audit_event\` e WHERE e.\`chain\` = ${chainExpr}) ORDER BY p.\`id\``,
      onePairing === null ? [] : [onePairing],
    );
    return [...heads, ...rows.map((r) => ({ chain: pairingChainOf(Number(r.id)), seq: Number(r.version), hash: r.hash }))];
  }

  findEvent(m: EntityManager, chain: string, seq: number): Promise<AuditEvent | null> {
    return m.findOne(AuditEvent, { where: { chain, seq } });
  }

  /** The last event of up to `limit` chains after `afterChain`, in chain order: each chain's current head, from the events themselves. */
  async lastEventsAfter(m: EntityManager, afterChain: string | null, limit: number): Promise<ChainHeadRow[]> {
    const lastSeqs = m
      .createQueryBuilder(AuditEvent, 'x')
      .select('x.chain', 'chain')
      .addSelect('MAX(x.seq)', 'seq')
      .groupBy('x.chain')
      .orderBy('x.chain', 'ASC')
      .limit(limit);
    if (afterChain !== null) lastSeqs.where('x.chain > :afterChain', { afterChain });
    const rows: { chain: string; seq: number | string; hash: string }[] = await m
      .createQueryBuilder(AuditEvent, 'e')
      .select('e.chain', 'chain')
      .addSelect('e.seq', 'seq')
      .addSelect('e.hash', 'hash')
      .innerJoin(`(${lastSeqs.getQuery()})`, 'last', 'last.chain = e.chain AND last.seq = e.seq')
      .setParameters(lastSeqs.getParameters())
      .orderBy('e.chain', 'ASC')
      .getRawMany();
    return rows.map((row) => ({ chain: row.chain, seq: Number(row.seq), hash: row.hash }));
  }

  /** The last seq of each of these chains that still has events. */
  async lastSeqsOf(m: EntityManager, chains: string[]): Promise<Map<string, number>> {
    if (!chains.length) return new Map();
    const rows: { chain: string; seq: number | string }[] = await m
      .createQueryBuilder(AuditEvent, 'e')
      .select('e.chain', 'chain')
      .addSelect('MAX(e.seq)', 'seq')
      .where('e.chain IN (:...chains)', { chains })
      .groupBy('e.chain')
      .getRawMany();
    return new Map(rows.map((row) => [row.chain, Number(row.seq)]));
  }

  /** The stored (chain, seq, hash) of each of these positions that exists. */
  hashesAt(m: EntityManager, positions: ChainCursor[]): Promise<Pick<AuditEvent, 'chain' | 'seq' | 'hash'>[]> {
    if (!positions.length) return Promise.resolve([]);
    return m
      .createQueryBuilder(AuditEvent, 'e')
      .select(['e.id', 'e.chain', 'e.seq', 'e.hash'])
      .where(
        new Brackets((w) =>
          positions.forEach(({ chain, seq }, i) =>
            w.orWhere(`(e.chain = :chain${i} AND e.seq = :seq${i})`, { [`chain${i}`]: chain, [`seq${i}`]: seq }),
          ),
        ),
      )
      .getMany();
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
