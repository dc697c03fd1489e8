import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { EntityManager } from 'typeorm';
import { DatabaseService } from '../database/database.service';
import { CourtDirectory } from '../identity/court-directory';
import { courtChain } from '../identity/court.entity';
import { auditHash, canonicalJson, GENESIS_HASH, HashedAuditFields } from './canonical-json';
import { AuditChainHead, AuditEvent } from './audit-event.entity';

export const SYSTEM_CHAIN = 'system';
export const pairingChain = (pairingId: number | string) => `pairing:${pairingId}`;

export interface AuditEntry {
  chain: string;
  actorId: number | string | null;
  type: string;
  fromState?: string | null;
  toState?: string | null;
  payload?: unknown;
  comment?: string | null;
}

/** An audit event as the API serves it: exactly the hashed fields plus the hash. */
export interface AuditEventView extends HashedAuditFields {
  hash: string;
}

export function toAuditView(row: AuditEvent): AuditEventView {
  return {
    chain: row.chain,
    seq: row.seq,
    at: row.at,
    actorId: row.actorId,
    type: row.type,
    fromState: row.fromState,
    toState: row.toState,
    payload: row.payload === null ? null : JSON.parse(row.payload),
    comment: row.comment,
    prevHash: row.prevHash,
    hash: row.hash,
  };
}

/** Appends to hash chains. Always called inside the transaction of the change it records. */
@Injectable()
export class AuditService {
  constructor(
    private readonly db: DatabaseService,
    private readonly clock: Clock,
    private readonly courts: CourtDirectory,
  ) {}

  /** Appends to a court's own system chain (`system:<courtCode>`): its logins, users, branches, partners. */
  async appendForCourt(manager: EntityManager, courtId: number, entry: Omit<AuditEntry, 'chain'>): Promise<AuditEventView> {
    return this.append(manager, { ...entry, chain: courtChain(await this.courts.code(manager, courtId)) });
  }

  /** Appends to a chain kept in audit_chain_head (the system chains); a pairing's chain is the engine's to append. */
  async append(manager: EntityManager, entry: AuditEntry): Promise<AuditEventView> {
    if (entry.chain.startsWith('pairing:')) {
      throw new Error(`${entry.chain} is appended by the workflow engine, which keeps its head on the pairing row`);
    }
    // The head row is locked for the rest of the transaction: concurrent appends to one chain queue here,
    // and the unique (chain, seq) index refuses a fork should anything slip past.
    let head = await this.db.findForUpdate(manager, AuditChainHead, { where: { chain: entry.chain } });
    if (!head) {
      head = manager.create(AuditChainHead, { chain: entry.chain, seq: 0, hash: GENESIS_HASH });
      await manager.insert(AuditChainHead, head);
    }
    const payload = entry.payload === undefined ? null : JSON.parse(canonicalJson(entry.payload));
    const fields = {
      chain: entry.chain,
      seq: head.seq + 1,
      at: this.clock.now().toISOString(),
      actorId: entry.actorId === null ? null : String(entry.actorId),
      type: entry.type,
      fromState: entry.fromState ?? null,
      toState: entry.toState ?? null,
      payload,
      comment: entry.comment ?? null,
      prevHash: head.hash,
    };
    const hash = auditHash(fields);
    await manager.insert(AuditEvent, {
      ...fields,
      payload: payload === null ? null : canonicalJson(payload),
      hash,
    });
    await manager.update(AuditChainHead, { chain: entry.chain }, { seq: fields.seq, hash });
    return { ...fields, hash };
  }
}
