import { createHash } from 'node:crypto';
import { auditHash, canonicalJson, GENESIS_HASH } from './canonical-json';
import type { AuditChainHead, AuditEvent } from './audit-event.entity';

/** An audit_event row as stored: the hashed fields with the payload as canonical JSON text, and the hash. */
export type StoredAuditEvent = Pick<
  AuditEvent,
  'chain' | 'seq' | 'at' | 'actorId' | 'type' | 'fromState' | 'toState' | 'payload' | 'comment' | 'prevHash' | 'hash'
>;
export type ChainHeadRow = Pick<AuditChainHead, 'chain' | 'seq' | 'hash'>;

export interface ChainFailure {
  chain: string;
  seq: number;
  reason: string;
}

export interface ChainVerification {
  ok: boolean;
  chains: number;
  events: number;
  failures: ChainFailure[];
}

/** A chain whose head row names a later seq than the last event read: appended to since, or truncated. */
export interface HeadAhead {
  chain: string;
  lastSeq: number;
  head: ChainHeadRow;
}

interface OpenChain {
  chain: string;
  nextSeq: number;
  prevHash: string;
}

/**
 * Recomputes hash chains from rows fed in (chain, seq) order, batch by batch, so that only one
 * batch is ever in memory. Each chain is reported at most once: at its first broken seq.
 *
 * Head rows come with each batch and must be read after that batch's events (the head and the event
 * are written in one transaction, so an honest head is then never behind the events read). A head
 * ahead of the last event read is either a concurrent append or a truncation; the caller tells
 * which with {@link markTruncated} after looking again.
 */
export class ChainVerifier {
  private open: OpenChain | null = null;
  private lastOfOpen: StoredAuditEvent | null = null;
  private readonly heads = new Map<string, ChainHeadRow>();
  private readonly failures = new Map<string, ChainFailure>();
  private readonly ahead: HeadAhead[] = [];
  private chainCount = 0;
  private eventCount = 0;

  /** Feeds one batch of events (ordered by chain, then seq) and the head rows of the chains it touches. */
  add(events: readonly StoredAuditEvent[], heads: readonly ChainHeadRow[] = []): void {
    for (const head of heads) this.heads.set(head.chain, head);
    for (const row of events) {
      if (this.open?.chain !== row.chain) {
        this.closeOpenChain();
        this.open = { chain: row.chain, nextSeq: 1, prevHash: GENESIS_HASH };
        this.chainCount++;
      }
      this.eventCount++;
      this.lastOfOpen = row;
      if (this.failures.has(row.chain)) continue;
      const reason = this.linkFailure(this.open, row);
      if (reason) {
        this.fail(row.chain, reason.seq, reason.text);
        continue;
      }
      this.open.nextSeq = row.seq + 1;
      this.open.prevHash = row.hash;
    }
  }

  /** Ends the stream; `orphanHeads` are head rows (seq > 0) of chains that have no events at all. */
  end(orphanHeads: readonly ChainHeadRow[] = []): void {
    this.closeOpenChain();
    for (const head of orphanHeads) {
      if (head.seq < 1) continue;
      if (!this.failures.has(head.chain)) this.chainCount++;
      this.fail(head.chain, 1, `seq 1 is missing: the chain has no events, but its head says it reaches seq ${head.seq}`);
    }
  }

  /** Chains whose head is ahead of the last event read; look again, then call markTruncated for those still short. */
  headsAhead(): readonly HeadAhead[] {
    return this.ahead;
  }

  markTruncated({ chain, lastSeq, head }: HeadAhead): void {
    this.fail(
      chain,
      lastSeq + 1,
      `seq ${lastSeq + 1} is missing: the chain ends at seq ${lastSeq}, but its head says it reaches seq ${head.seq}`,
    );
  }

  result(): ChainVerification {
    const failures = [...this.failures.values()];
    return { ok: failures.length === 0, chains: this.chainCount, events: this.eventCount, failures };
  }

  private linkFailure(open: OpenChain, row: StoredAuditEvent): { seq: number; text: string } | null {
    if (row.seq > open.nextSeq) {
      const missing = row.seq - open.nextSeq === 1 ? `seq ${open.nextSeq} is missing` : `seqs ${open.nextSeq}–${row.seq - 1} are missing`;
      return { seq: open.nextSeq, text: missing };
    }
    if (row.seq < open.nextSeq) return { seq: row.seq, text: `seq ${row.seq} is out of order: seq ${open.nextSeq} was expected` };
    if (row.prevHash !== open.prevHash) {
      return {
        seq: row.seq,
        text:
          row.seq === 1 ? 'prevHash of the first event is not the genesis hash (64 zeros)' : `prevHash does not match seq ${row.seq - 1}`,
      };
    }
    // The stored payload is the canonical JSON that was hashed, so the hashed text can be put together as it
    // stands — no parsing. Only when that hash differs is the payload looked at, to say what is wrong with it.
    if (storedHash(row) === row.hash) return null;
    let payload: unknown = null;
    if (row.payload !== null) {
      try {
        payload = JSON.parse(row.payload);
      } catch {
        return { seq: row.seq, text: 'the stored payload is not valid JSON' };
      }
      if (canonicalJson(payload) !== row.payload) return { seq: row.seq, text: 'the stored payload is not in canonical JSON form' };
    }
    const hash = auditHash({
      chain: row.chain,
      seq: row.seq,
      at: row.at,
      actorId: row.actorId,
      type: row.type,
      fromState: row.fromState,
      toState: row.toState,
      payload,
      comment: row.comment,
      prevHash: row.prevHash,
    });
    if (hash !== row.hash) return { seq: row.seq, text: "hash does not match the event's contents" };
    return null;
  }

  /** Compares a finished chain with its head row. */
  private closeOpenChain(): void {
    const open = this.open;
    const last = this.lastOfOpen;
    this.open = null;
    this.lastOfOpen = null;
    if (!open || !last) return;
    const head = this.heads.get(open.chain);
    this.heads.delete(open.chain);
    if (this.failures.has(open.chain)) return;
    if (!head) {
      this.fail(open.chain, last.seq, 'the chain has no head (no pairing row, or no row in audit_chain_head)');
    } else if (head.seq < last.seq) {
      this.fail(open.chain, head.seq + 1, `seq ${head.seq + 1} lies beyond the chain head, which says the chain ends at seq ${head.seq}`);
    } else if (head.seq === last.seq && head.hash !== last.hash) {
      this.fail(open.chain, last.seq, `the chain head's hash does not match seq ${last.seq}`);
    } else if (head.seq > last.seq) {
      this.ahead.push({ chain: open.chain, lastSeq: last.seq, head });
    }
  }

  private fail(chain: string, seq: number, reason: string): void {
    if (!this.failures.has(chain)) this.failures.set(chain, { chain, seq, reason });
  }
}

const text = (value: string | null) => (value === null ? 'null' : JSON.stringify(value));

/**
 * sha256 of the canonical JSON of a stored event's hashed fields, written out in key order with the
 * stored payload text in place: equal to auditHash of the parsed event whenever that text is canonical.
 */
export function storedHash(row: StoredAuditEvent): string {
  const canonical =
    `{"actorId":${text(row.actorId)},"at":${text(row.at)},"chain":${text(row.chain)},"comment":${text(row.comment)},` +
    `"fromState":${text(row.fromState)},"payload":${row.payload ?? 'null'},"prevHash":${text(row.prevHash)},"seq":${row.seq},` +
    `"toState":${text(row.toState)},"type":${text(row.type)}}`;
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}
