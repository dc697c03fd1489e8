import { Readable } from 'node:stream';
import { Clock } from '../common/clock';
import { Inject, Injectable } from '@nestjs/common';
import { ValidationFailedError } from '../common/errors';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { DatabaseService } from '../database/database.service';
import { auditCsvHeader, auditCsvLine } from './audit-csv';
import { AuditEventView, pairingChain, toAuditView } from './audit.service';
import { AuditEventsQueryDto, CheckpointDto, VerifyQueryDto } from './audit.dto';
import { AuditEvent } from './audit-event.entity';
import { AuditRepository, ChainCursor } from './audit.repository';
import { AuditSigningKey } from './audit-signing-key';
import { ChainHeadRow, ChainVerification, ChainVerifier, StoredAuditEvent } from './chain-verifier';
import {
  CHECKPOINT_ALGORITHM,
  CheckpointComparison,
  CheckpointHead,
  chainSeqKey,
  checkpointSignatureValid,
  compareWithCheckpoint,
  SignedCheckpoint,
  signCheckpoint,
} from './checkpoint';

/** Rows per database read: each read holds SQLite's one mutex, so it stays short, and memory stays flat. */
export const AUDIT_BATCH_SIZE = 1000;
/** Chains per read when taking or checking a checkpoint. */
const CHAIN_BATCH_SIZE = 500;

export interface AuditEventPage {
  items: AuditEventView[];
  total: number;
  page: number;
  pageSize: number;
}

export interface CheckpointVerification extends ChainVerification {
  checkpoint: CheckpointComparison & { signatureValid: boolean };
}

/** Reading the audit trail: search, chain verification, CSV export and signed checkpoints. Changes nothing. */
@Injectable()
export class AuditTrailService {
  constructor(
    private readonly db: DatabaseService,
    private readonly repo: AuditRepository,
    private readonly signingKey: AuditSigningKey,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async listEvents(query: AuditEventsQueryDto): Promise<AuditEventPage> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 50;
    const from = query.from === undefined ? undefined : new Date(query.from).toISOString();
    const to = query.to === undefined ? undefined : new Date(query.to).toISOString();
    if (from !== undefined && to !== undefined && from > to) {
      throw new ValidationFailedError([{ field: 'to', messages: ['to must not be before from'] }]);
    }
    const chain = this.chainOf(query);
    if (chain === null) return { items: [], total: 0, page, pageSize };
    const [rows, total] = await this.db.read((m) =>
      this.repo.page(m, { chain, actorId: query.actorId || undefined, type: query.type || undefined, from, to, page, pageSize }),
    );
    return { items: rows.map(servedView), total, page, pageSize };
  }

  /** Recomputes every link of every chain (or of one), batch by batch. */
  async verify(query: VerifyQueryDto = {}): Promise<ChainVerification> {
    const chain = this.chainOf(query);
    const verifier = new ChainVerifier();
    if (chain === null) return verifier.result();
    for await (const { events, heads } of this.eventBatches(chain, true)) verifier.add(events, heads);
    verifier.end(await this.db.read((m) => this.repo.headsWithoutEvents(m, chain)));
    for (const ahead of verifier.headsAhead()) {
      // The head was read after the events: if its event is there now, the chain simply grew meanwhile.
      const event = await this.db.read((m) => this.repo.findEvent(m, ahead.chain, ahead.head.seq));
      if (!event) verifier.markTruncated(ahead);
    }
    return verifier.result();
  }

  /** Verifies the chains and compares them with a checkpoint taken earlier by this server. */
  async verifyCheckpoint(checkpoint: CheckpointDto): Promise<CheckpointVerification> {
    const { publicKey } = await this.signingKey.get();
    const signatureValid = checkpointSignatureValid(checkpoint, checkpoint.signature, publicKey);
    const comparison: CheckpointComparison = { truncated: [], rewritten: [] };
    for (let i = 0; i < checkpoint.chains.length; i += CHAIN_BATCH_SIZE) {
      const heads = checkpoint.chains.slice(i, i + CHAIN_BATCH_SIZE);
      const { lastSeqs, hashes } = await this.db.read(async (m) => ({
        lastSeqs: await this.repo.lastSeqsOf(m, [...new Set(heads.map((head) => head.chain))]),
        hashes: await this.repo.hashesAt(m, heads),
      }));
      const part = compareWithCheckpoint(heads, lastSeqs, new Map(hashes.map((row) => [chainSeqKey(row.chain, row.seq), row.hash])));
      comparison.truncated.push(...part.truncated);
      comparison.rewritten.push(...part.rewritten);
    }
    const chains = await this.verify();
    const ok = chains.ok && signatureValid && !comparison.truncated.length && !comparison.rewritten.length;
    return { ...chains, ok, checkpoint: { signatureValid, ...comparison } };
  }

  /** The current head of every chain, read from the events themselves, signed with the server's Ed25519 key. */
  async checkpoint(): Promise<SignedCheckpoint> {
    const keys = await this.signingKey.get();
    const chains: CheckpointHead[] = [];
    let after: string | null = null;
    for (;;) {
      const batch: ChainHeadRow[] = await this.db.read((m) => this.repo.lastEventsAfter(m, after, CHAIN_BATCH_SIZE));
      chains.push(...batch.map(({ chain, seq, hash }) => ({ chain, seq, hash })));
      if (batch.length < CHAIN_BATCH_SIZE) break;
      after = batch[batch.length - 1].chain;
    }
    // Taken once every head has been read: each listed event existed at `at`.
    const body = { at: this.clock.now().toISOString(), chains };
    return { ...body, signature: signCheckpoint(body, keys.privateKey), publicKey: keys.publicKeyPem, algorithm: CHECKPOINT_ALGORITHM };
  }

  /** The whole trail as CSV, read batch by batch as the client takes it (the stream pulls; nothing piles up). */
  exportCsv(): { filename: string; stream: Readable } {
    const batches = this.eventBatches(undefined, false);
    async function* lines() {
      yield auditCsvHeader();
      for await (const { events } of batches) yield events.map(auditCsvLine).join('');
    }
    return { filename: `audit-${localDate(this.config.timezone)}.csv`, stream: Readable.from(lines(), { objectMode: false }) };
  }

  /** The chain a query names: undefined for all chains, null when pairingId and chain name different chains. */
  private chainOf(query: VerifyQueryDto): string | undefined | null {
    const fromPairing = query.pairingId === undefined ? undefined : pairingChain(query.pairingId);
    const named = query.chain || undefined;
    if (fromPairing !== undefined && named !== undefined && fromPairing !== named) return null;
    return fromPairing ?? named;
  }

  /** Events in (chain, seq) order, one short read per batch; with heads, each batch's head rows are read after its events. */
  private async *eventBatches(chain: string | undefined, withHeads: boolean) {
    let after: ChainCursor | null = null;
    for (;;) {
      const cursor: ChainCursor | null = after;
      const batch: { events: StoredAuditEvent[]; heads: ChainHeadRow[] } = await this.db.read(async (m) => {
        const events = await this.repo.eventsAfter(m, cursor, AUDIT_BATCH_SIZE, chain);
        const heads = withHeads ? await this.repo.headsOf(m, [...new Set(events.map((event) => event.chain))]) : [];
        return { events, heads };
      });
      if (batch.events.length) yield batch;
      if (batch.events.length < AUDIT_BATCH_SIZE) return;
      const last = batch.events[batch.events.length - 1];
      after = { chain: last.chain, seq: last.seq };
    }
  }
}

/** The view as hashed; a payload that no longer parses (tampered) is shown as its stored text rather than failing the page. */
function servedView(row: AuditEvent): AuditEventView {
  try {
    return toAuditView(row);
  } catch {
    return { ...toAuditView({ ...row, payload: null }), payload: row.payload };
  }
}

/** Today's date in the court's time zone (en-CA formats as YYYY-MM-DD). */
function localDate(timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}
