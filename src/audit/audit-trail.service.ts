import { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { EVENT_LABELS, type Label, type NameLookup, referenceKind, SYSTEM_EVENT_LABELS } from '../../workflows';
import { Clock, dateIn, endOfDay } from '../common/clock';
import { DomainError, ValidationFailedError } from '../common/errors';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { DatabaseService } from '../database/database.service';
import { EventSubjects, peopleCsv, peopleCsvRecord } from './audit-csv';
import { AuditSubjects, collectReferences, NameRequest, pairingIdOfChain, PairingSubject } from './audit-subjects';
import { AuditEventView, pairingChain, SYSTEM_CHAIN, toAuditView } from './audit.service';
import { CourtDirectory } from '../identity/court-directory';
import { CourtScope } from '../identity/court-scope';
import { hasRole, RequestUser } from '../identity/current-user.decorator';
import { courtChain } from '../identity/court.entity';
import { AuditEventsQueryDto, AuditFilterDto, ExportQueryDto, isIsoInstant, isLocalDate, VerifyQueryDto } from './audit.dto';
import type { AuditEvent } from './audit-event.entity';
import { AuditEventFilter, AuditRepository, AuditTrail, ChainCursor } from './audit.repository';
import { AuditSigningKey } from './audit-signing-key';
import { ChainHeadRow, ChainVerification, ChainVerifier, StoredAuditEvent } from './chain-verifier';
import {
  CHECKPOINT_ALGORITHM,
  CHECKPOINT_FORMAT,
  CheckpointComparison,
  CheckpointHead,
  CheckpointSeal,
  chainSeqKey,
  compareWithCheckpoint,
  headLine,
  HeadsDigest,
  sealSignatureValid,
  signSeal,
} from './checkpoint';
import { CheckpointFields, CheckpointSource } from './checkpoint-reader';

/** Rows per database read: each read holds SQLite's one mutex, so it stays short, and memory stays flat. */
export const AUDIT_BATCH_SIZE = 1000;
/** Chains per read when taking or checking a checkpoint. */
const CHAIN_BATCH_SIZE = 250;

/** Who and what the events of a page are about, for people to read. */
export interface AuditNames {
  /** By chain (pairing:<id>): the pairing's code and title. */
  pairings: Record<string, PairingSubject>;
  /** By actorId: the user's display name and username. */
  actors: Record<string, { displayName: string; username: string }>;
}

export interface AuditEventPage {
  items: AuditEventView[];
  total: number;
  page: number;
  pageSize: number;
  /** The zone people read times in (APP_TIMEZONE); `at` stays UTC. */
  timeZone: string;
  names: AuditNames;
}

export interface AuditExport {
  filename: string;
  mime: string;
  stream: Readable;
}

/** What a checkpoint check found: whether the signature holds, and each listed chain as before, grown, cut short or rewritten. */
export interface CheckpointCheck extends CheckpointComparison {
  signatureValid: boolean;
  at: string;
  /** Heads the checkpoint lists. */
  chains: number;
  /** Listed chains still holding their checkpointed head (grown ones included). */
  asBefore: number;
  /** Of those, chains with events appended since. */
  grown: number;
  /** How many chains were truncated or rewritten; the lists name at most the first LISTED_FAILURES. */
  truncatedCount: number;
  rewrittenCount: number;
}

export interface CheckpointVerification extends ChainVerification {
  checkpoint: CheckpointCheck;
}

/** How many truncated (and rewritten) chains a checkpoint check names; beyond that it counts them. */
export const LISTED_FAILURES = 1000;

/** Rows of the people's CSV written between two turns of the event loop. */
const ROWS_PER_TURN = 100;

/** Lets other requests run between two batches of a long read (on SQLite the batches run on the one connection). */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

const SEAL_FIELDS = ['at', 'count', 'headsSha256', 'signature', 'format', 'publicKey', 'algorithm'];

/** The signed fields of a checkpoint, or the field errors that refuse it. */
function checkedSeal(fields: CheckpointFields): { seal: CheckpointSeal; signature: string } {
  const problems: { field: string; messages: string[] }[] = [];
  const problem = (field: string, message: string) => problems.push({ field: `checkpoint.${field}`, messages: [message] });
  for (const key of Object.keys(fields)) {
    if (key === 'chains') problem('chains', 'chains must be a list of {chain, seq, hash}');
    else if (!SEAL_FIELDS.includes(key)) problem(key, `checkpoint.${key} is not a field of a checkpoint`);
  }
  if (fields.format !== CHECKPOINT_FORMAT) {
    problem('format', `format must be ${CHECKPOINT_FORMAT}; a checkpoint taken by an earlier version cannot be checked, take a new one`);
  }
  if (!isIsoInstant(fields.at)) problem('at', 'at must be an ISO 8601 instant');
  if (typeof fields.count !== 'number' || !Number.isInteger(fields.count) || fields.count < 0)
    problem('count', 'count must be a whole number');
  if (typeof fields.headsSha256 !== 'string' || !/^[0-9a-f]{64}$/.test(fields.headsSha256)) {
    problem('headsSha256', 'headsSha256 must be 64 lowercase hex digits');
  }
  if (typeof fields.signature !== 'string' || fields.signature.length > 200 || !/^[A-Za-z0-9+/]*={0,2}$/.test(fields.signature)) {
    problem('signature', 'signature must be base64');
  }
  if (fields.publicKey !== undefined && (typeof fields.publicKey !== 'string' || fields.publicKey.length > 1000)) {
    problem('publicKey', 'publicKey must be a PEM text');
  }
  if (fields.algorithm !== undefined && fields.algorithm !== CHECKPOINT_ALGORITHM)
    problem('algorithm', `algorithm must be ${CHECKPOINT_ALGORITHM}`);
  if (problems.length) throw new ValidationFailedError(problems, 'The checkpoint is not one this server wrote.');
  return {
    seal: { at: fields.at as string, count: fields.count as number, headsSha256: fields.headsSha256 as string },
    signature: fields.signature as string,
  };
}

/** Reading the audit trail: search, chain verification, CSV export and signed checkpoints. Changes nothing. */
/** Who reads the trail: the courts of their scope, whether they read a court's trail, whether they run the platform. */
export interface AuditReader {
  scope: CourtScope;
  /** Every court the user may read (a supervisor's own and those below it), whatever `courtId=` narrowed `scope` to. */
  reach: CourtScope;
  readsCourts: boolean;
  platformAdmin: boolean;
}

/**
 * Whose names `actor=` matches: the users of the reader's courts, and for a platform admin those of every court —
 * the platform chain's events may be any court's (its platform admins, and before courts everyone's).
 */
function actorsScopeOf(reader: AuditReader): CourtScope | null {
  return reader.platformAdmin ? null : reader.scope;
}

export function auditReaderOf(user: RequestUser, scope: CourtScope, reach: CourtScope = scope): AuditReader {
  return {
    scope,
    reach,
    readsCourts: hasRole(user, 'auditor', 'committee', 'leader', 'supervisor'),
    platformAdmin: hasRole(user, 'platform_admin'),
  };
}

@Injectable()
export class AuditTrailService {
  /** undefined until read; fixed once an installation has courts. */
  private legacy: number | null | undefined;
  constructor(
    private readonly db: DatabaseService,
    private readonly repo: AuditRepository,
    private readonly signingKey: AuditSigningKey,
    private readonly subjects: AuditSubjects,
    private readonly clock: Clock,
    private readonly courts: CourtDirectory,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** One page of the trail, with the code and title of each pairing and the name of each actor on it. */
  async listEvents(query: AuditEventsQueryDto, reader: AuditReader): Promise<AuditEventPage> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 50;
    return this.db.read(async (m) => {
      const filter = await this.filterOf(m, query, reader);
      if (filter === null)
        return { items: [], total: 0, page, pageSize, timeZone: this.config.timezone, names: { pairings: {}, actors: {} } };
      const [rows, total] = await this.repo.page(m, { ...filter, page, pageSize });
      return { items: rows.map(servedView), total, page, pageSize, timeZone: this.config.timezone, names: await this.namesOf(m, rows) };
    });
  }

  /** Recomputes every link of every chain (or of one), batch by batch. */
  async verify(query: VerifyQueryDto, reader: AuditReader): Promise<ChainVerification> {
    const chain = this.chainOf(query);
    const verifier = new ChainVerifier();
    if (chain === null) return verifier.result();
    const trail = await this.db.read((m) => this.trailOf(m, reader));
    for await (const { events, heads } of this.eventBatches(chain, true, { trail })) verifier.add(events, heads);
    verifier.end(await this.db.read((m) => this.repo.headsWithoutEvents(m, trail, chain)));
    for (const ahead of verifier.headsAhead()) {
      // The head was read after the events: if its event is there now, the chain simply grew meanwhile.
      const event = await this.db.read((m) => this.repo.findEvent(m, ahead.chain, ahead.head.seq));
      if (!event) verifier.markTruncated(ahead);
    }
    return verifier.result();
  }

  /**
   * Verifies the chains and compares them with a checkpoint taken earlier by this server (parsed, or as a stream).
   * A checkpoint taken over courts this request does not read (a supervisor's `courtId=all` checkpoint checked
   * without it) is refused, naming the courtId to give: its chains there are not missing, only out of view.
   */
  async verifyCheckpoint(source: CheckpointSource, reader: AuditReader): Promise<CheckpointVerification> {
    const [trail, wider] = await this.db.read(async (m) => {
      const own = await this.trailOf(m, reader);
      const wide = reader.reach.courtIds.some((id) => !reader.scope.includes(id));
      return [own, wide ? await this.trailOf(m, { ...reader, scope: reader.reach }) : undefined] as const;
    });
    const checkpoint = await this.compareCheckpoint(source, trail, wider === undefined ? undefined : { trail: wider, reader });
    const chains = await this.verify({}, reader);
    const changed = checkpoint.truncatedCount + checkpoint.rewrittenCount > 0;
    return { ...chains, ok: chains.ok && checkpoint.signatureValid && !changed, checkpoint };
  }

  /**
   * Each head of the checkpoint against the chains now, batch by batch as the heads arrive (memory stays
   * flat for a million chains), then the signature over the digest of the heads as they were read.
   */
  private async compareCheckpoint(
    source: CheckpointSource,
    trail: AuditTrail,
    beyond?: { trail: AuditTrail; reader: AuditReader },
  ): Promise<CheckpointCheck> {
    const digest = new HeadsDigest();
    const found = { truncated: [] as CheckpointComparison['truncated'], rewritten: [] as CheckpointComparison['rewritten'] };
    const counts = { truncated: 0, rewritten: 0, grown: 0 };
    const outOfView = new OutOfView();
    let batch: CheckpointHead[] = [];
    const compare = async () => {
      const heads = batch;
      batch = [];
      if (!heads.length) return;
      const { lastSeqs, hashes } = await this.db.read(async (m) => {
        const chains = [...new Set(heads.map((head) => head.chain))];
        const last = await this.repo.lastSeqsOf(m, trail, chains);
        if (last.size) outOfView.inScope = true;
        // A chain the request does not read may still be one the user reads with another courtId.
        if (beyond)
          await outOfView.add(
            m,
            this.repo,
            this.courts,
            await this.repo.lastSeqsOf(
              m,
              beyond.trail,
              chains.filter((c) => !last.has(c)),
            ),
          );
        return { lastSeqs: last, hashes: await this.repo.hashesAt(m, trail, heads) };
      });
      const part = compareWithCheckpoint(heads, lastSeqs, new Map(hashes.map((row) => [chainSeqKey(row.chain, row.seq), row.hash])));
      counts.truncated += part.truncated.length;
      counts.rewritten += part.rewritten.length;
      found.truncated.push(...part.truncated.slice(0, LISTED_FAILURES - found.truncated.length));
      found.rewritten.push(...part.rewritten.slice(0, LISTED_FAILURES - found.rewritten.length));
      const changed = new Set([...part.truncated, ...part.rewritten].map((x) => x.chain));
      counts.grown += heads.filter((head) => !changed.has(head.chain) && (lastSeqs.get(head.chain) ?? 0) > head.seq).length;
      await nextTurn();
    };
    for await (const head of source.heads) {
      digest.add(head);
      batch.push(head);
      if (batch.length >= CHAIN_BATCH_SIZE) await compare();
    }
    await compare();
    if (beyond && outOfView.count) throw outOfView.refusal(beyond.reader);
    const { seal, signature } = checkedSeal(source.fields);
    const read = digest.seal(seal.at);
    const { publicKey } = await this.signingKey.get();
    const signatureValid =
      read.count === seal.count && read.headsSha256 === seal.headsSha256 && sealSignatureValid(seal, signature, publicKey);
    return {
      signatureValid,
      at: seal.at,
      chains: read.count,
      asBefore: read.count - counts.truncated - counts.rewritten,
      grown: counts.grown,
      truncated: found.truncated,
      rewritten: found.rewritten,
      truncatedCount: counts.truncated,
      rewrittenCount: counts.rewritten,
    };
  }

  /**
   * The current head of every chain, read from the events themselves, signed with the server's Ed25519 key:
   * written as it is read (one JSON document, one head per line), so a million chains never sit in memory.
   * `at` and the signature come last, once every head has been read: each listed event existed at `at`.
   */
  async checkpoint(reader: AuditReader): Promise<Readable> {
    const keys = await this.signingKey.get();
    const trail = await this.db.read((m) => this.trailOf(m, reader));
    const read = (after: string | null) => this.db.read((m) => this.repo.lastEventsAfter(m, trail, after, CHAIN_BATCH_SIZE));
    const now = () => this.clock.now().toISOString();
    async function* parts() {
      yield `{"format":"${CHECKPOINT_FORMAT}","algorithm":"${CHECKPOINT_ALGORITHM}","publicKey":${JSON.stringify(keys.publicKeyPem)},"chains":[`;
      const digest = new HeadsDigest();
      let after: string | null = null;
      let first = true;
      for (;;) {
        const batch: ChainHeadRow[] = await read(after);
        const lines = batch.map(({ chain, seq, hash }) => {
          const head = { chain, seq, hash };
          digest.add(head);
          return headLine(head).trimEnd();
        });
        if (lines.length) yield `${first ? '\n' : ',\n'}${lines.join(',\n')}`;
        first = first && !lines.length;
        if (batch.length < CHAIN_BATCH_SIZE) break;
        after = batch[batch.length - 1].chain;
        await nextTurn();
      }
      const seal = digest.seal(now());
      const signature = signSeal(seal, keys.privateKey);
      yield `\n],"at":"${seal.at}","count":${seal.count},"headsSha256":"${seal.headsSha256}","signature":"${signature}"}\n`;
    }
    return Readable.from(parts(), { objectMode: false });
  }

  /**
   * The trail (or what the filters select) as a file, read batch by batch as the client takes it (the stream
   * pulls; nothing piles up): CSV for people, or JSON lines exactly as hashed for machines.
   */
  async export(query: ExportQueryDto, reader: AuditReader): Promise<AuditExport> {
    const filter = await this.db.read((m) => this.filterOf(m, query, reader));
    const format = query.format ?? 'csv';
    const batches = filter === null ? emptyBatches() : this.eventBatches(filter.chain, false, filter);
    const filename = `audit-${dateIn(this.config.timezone, this.clock.now())}.${format}`;
    if (format === 'jsonl') {
      async function* lines() {
        for await (const { events } of batches) yield events.map((row) => `${JSON.stringify(servedView(row))}\n`).join('');
      }
      return { filename, mime: 'application/x-ndjson; charset=utf-8', stream: Readable.from(lines(), { objectMode: false }) };
    }
    const timeZone = this.config.timezone;
    const read = <T>(work: (m: EntityManager) => Promise<T>) => this.db.read(work);
    const names = (m: EntityManager, rows: StoredAuditEvent[]) => this.subjectsOf(m, rows);
    async function* records() {
      for await (const { events } of batches) {
        const subjects = await read((m) => names(m, events));
        for (const [i, row] of events.entries()) {
          // Describing a payload for people takes a while: let other requests through every so often.
          if (i > 0 && i % ROWS_PER_TURN === 0) await nextTurn();
          yield peopleCsvRecord(row, subjects, timeZone);
        }
      }
    }
    return { filename, mime: 'text/csv; charset=utf-8', stream: peopleCsv(Readable.from(records())) };
  }

  /** The repository filter a query asks for; null when it can match nothing (pairingId and chain disagree). */
  /**
   * The chains a reader may read: their courts' system chains and pairings' chains (for those who read a
   * court's trail), and the platform's chain `system` for platform admins, for a reader of every court, and
   * for the court an upgrade from before courts created (the chain holds that court's earlier events).
   * Null (no filter) when that is every chain of the installation.
   */
  private async trailOf(m: EntityManager, reader: AuditReader): Promise<AuditTrail> {
    const { scope } = reader;
    const courts = await this.courts.all(m);
    const readable = reader.readsCourts ? courts.filter((court) => scope.includes(court.id)) : [];
    const everyCourt = readable.length === courts.length;
    if (everyCourt) return null;
    const legacy = await this.legacyCourtId(m);
    const platform = reader.platformAdmin || (reader.readsCourts && legacy !== null && scope.includes(legacy));
    return {
      systemChains: [...readable.map((court) => courtChain(court.code)), ...(platform ? [SYSTEM_CHAIN] : [])],
      courtIds: readable.map((court) => court.id),
    };
  }

  /** The court an upgrade from before courts put everything into (named by COURTS_INTRODUCED), if any. */
  private async legacyCourtId(m: EntityManager): Promise<number | null> {
    if (this.legacy === undefined) {
      const [row] = (await m.query('SELECT `payload` AS payload FROM `audit_event` WHERE `chain` = ? AND `type` = ? LIMIT 1', [
        SYSTEM_CHAIN,
        'COURTS_INTRODUCED',
      ])) as { payload: string }[];
      this.legacy = row ? Number((JSON.parse(row.payload) as { court: { id: number } }).court.id) : null;
    }
    return this.legacy;
  }

  private async filterOf(m: EntityManager, query: AuditFilterDto, reader: AuditReader): Promise<AuditEventFilter | null> {
    const { scope } = reader;
    const trail = await this.trailOf(m, reader);
    const from = query.from === undefined ? undefined : this.instantOf(query.from, 'from');
    const to = query.to === undefined ? undefined : this.instantOf(query.to, 'to');
    if (from !== undefined && to !== undefined && from > to) {
      throw new ValidationFailedError([{ field: 'to', messages: ['to must not be before from'] }]);
    }
    const type = query.type === undefined ? undefined : eventTypeOf(query.type);
    let chain = this.chainOf(query);
    if (query.code !== undefined) {
      // Another court's pairing is named exactly like one that does not exist, and so is any pairing to a
      // reader of no court's trail (a platform admin).
      const id = reader.readsCourts ? await this.subjects.pairingIdOfCode(m, scope, query.code) : null;
      if (id === null) {
        throw new DomainError(404, 'NOT_FOUND', `No pairing has the code ${query.code}.`, [
          { field: 'code', messages: [`no pairing has the code ${query.code}`] },
        ]);
      }
      chain = chain === undefined || chain === pairingChain(id) ? pairingChain(id) : null;
    }
    if (chain === null) return null;
    let actorIds = query.actorId ? [query.actorId] : undefined;
    if (query.actor !== undefined) {
      const users = await this.repo.usersMatching(m, actorsScopeOf(reader), query.actor);
      if (!users.length) {
        throw new DomainError(404, 'NOT_FOUND', `No user is called ${query.actor}.`, [
          { field: 'actor', messages: [`no user has the username or a name containing “${query.actor}”`] },
        ]);
      }
      const matching = users.map((user) => String(user.id));
      actorIds = actorIds ? actorIds.filter((id) => matching.includes(id)) : matching;
    }
    return { trail, chain, actorIds, type, from, to };
  }

  /** A date is a day in the court's time zone (`from` at its start, `to` through its end); an instant is itself. */
  private instantOf(value: string, bound: 'from' | 'to'): string {
    if (!isLocalDate(value)) return new Date(value).toISOString();
    const end = Date.parse(endOfDay(value, this.config.timezone));
    if (bound === 'to') return new Date(end - 1).toISOString();
    const [y, m, d] = value.split('-').map(Number);
    const dayBefore = new Date(Date.UTC(y, m - 1, d - 1)).toISOString().slice(0, 10);
    return endOfDay(dayBefore, this.config.timezone);
  }

  /** Pairings (by chain) and actors (by id) of these events, for people to read. */
  private async namesOf(m: EntityManager, rows: StoredAuditEvent[]): Promise<AuditNames> {
    const { pairings, actors } = await this.subjectsOf(m, rows, false);
    return {
      pairings: Object.fromEntries([...pairings].map(([id, subject]) => [pairingChain(id), subject])),
      actors: Object.fromEntries([...actors].map(([id, user]) => [id, { displayName: user.displayName, username: user.username }])),
    };
  }

  private async subjectsOf(m: EntityManager, rows: StoredAuditEvent[], withPayloadNames = true): Promise<EventSubjects> {
    const pairingIds = new Set<number>();
    const actorIds = new Set<number>();
    const wanted: NameRequest = {};
    for (const row of rows) {
      const id = pairingIdOfChain(row.chain);
      if (id !== null) pairingIds.add(id);
      if (row.actorId !== null && /^\d{1,9}$/.test(row.actorId)) actorIds.add(Number(row.actorId));
      if (withPayloadNames && row.payload !== null) {
        try {
          collectReferences(JSON.parse(row.payload), wanted, referenceKind);
        } catch {
          // A payload that does not parse is shown as stored.
        }
      }
    }
    const [pairings, users, names] = await Promise.all([
      this.subjects.pairings(m, [...pairingIds]),
      this.repo.usersByIds(m, [...actorIds]),
      withPayloadNames ? this.subjects.names(m, wanted) : Promise.resolve<NameLookup>(() => undefined),
    ]);
    return { pairings, actors: new Map(users.map((user) => [String(user.id), user])), names };
  }

  /** The chain a query names: undefined for all chains, null when pairingId and chain name different chains. */
  private chainOf(query: VerifyQueryDto): string | undefined | null {
    const fromPairing = query.pairingId === undefined ? undefined : pairingChain(query.pairingId);
    const named = query.chain || undefined;
    if (fromPairing !== undefined && named !== undefined && fromPairing !== named) return null;
    return fromPairing ?? named;
  }

  /** Events in (chain, seq) order, one short read per batch; with heads, each batch's head rows are read after its events. */
  private async *eventBatches(chain: string | undefined, withHeads: boolean, filter: Omit<AuditEventFilter, 'chain'>) {
    let after: ChainCursor | null = null;
    for (;;) {
      const cursor: ChainCursor | null = after;
      const batch: { events: StoredAuditEvent[]; heads: ChainHeadRow[] } = await this.db.read(async (m) => {
        const events = await this.repo.eventsAfter(m, cursor, AUDIT_BATCH_SIZE, chain, filter);
        const heads = withHeads ? await this.repo.headsOf(m, [...new Set(events.map((event) => event.chain))]) : [];
        return { events, heads };
      });
      if (batch.events.length) yield batch;
      if (batch.events.length < AUDIT_BATCH_SIZE) return;
      const last = batch.events[batch.events.length - 1];
      after = { chain: last.chain, seq: last.seq };
      await nextTurn();
    }
  }
}

/**
 * The chains of a checkpoint that lie outside the courts a request reads but inside those the user may read, and
 * the courts they belong to: enough to say which `courtId=` checks the checkpoint over the courts it covers.
 */
class OutOfView {
  count = 0;
  /** Some listed chain is one the request reads. */
  inScope = false;
  private readonly courtIds = new Set<number>();
  /** A chain of no court (the platform's own `system`). */
  private platform = false;
  /** Each court's system chain, read once per check (not once per batch of heads). */
  private courtOfChain?: Map<string, number>;

  async add(m: EntityManager, repo: AuditRepository, courts: CourtDirectory, chains: Map<string, number>): Promise<void> {
    if (!chains.size) return;
    this.count += chains.size;
    const pairings = await repo.courtsOfPairingChains(m, [...chains.keys()]);
    const byCode = (this.courtOfChain ??= new Map((await courts.all(m)).map((court) => [courtChain(court.code), court.id])));
    for (const chain of chains.keys()) {
      const courtId = pairings.get(chain) ?? byCode.get(chain);
      if (courtId === undefined) this.platform = true;
      else this.courtIds.add(courtId);
    }
  }

  refusal(reader: AuditReader): ValidationFailedError {
    const [only] = this.courtIds;
    const courtId = !this.platform && !this.inScope && this.courtIds.size === 1 ? String(only) : 'all';
    const reads = reader.scope.courtIds.length === 1 ? `court ${reader.scope.courtIds[0]}` : `courts ${reader.scope.courtIds.join(', ')}`;
    const message =
      `this checkpoint was taken over courts this request does not read (it reads ${reads}): ${this.count} of its chains lie ` +
      `outside it; check it with courtId=${courtId}, over the courts it covers`;
    return new ValidationFailedError([{ field: 'courtId', messages: [message] }], `Check this checkpoint with courtId=${courtId}.`);
  }
}

/** The view as hashed; a payload that no longer parses (tampered) is shown as its stored text rather than failing the page. */
function servedView(row: StoredAuditEvent): AuditEventView {
  try {
    return toAuditView(row as AuditEvent);
  } catch {
    return { ...toAuditView({ ...row, payload: null } as AuditEvent), payload: row.payload };
  }
}

async function* emptyBatches(): AsyncGenerator<{ events: StoredAuditEvent[] }> {}

const TYPE_CODE = /^[A-Z][A-Z0-9_]*$/;

/** An event type named by its code, or by its label in either language; an unknown label is a field error. */
export function eventTypeOf(text: string): string {
  if (TYPE_CODE.test(text)) return text;
  const wanted = text.toLowerCase();
  for (const table of [EVENT_LABELS, SYSTEM_EVENT_LABELS] as Readonly<Record<string, Label>>[]) {
    for (const [code, { zh, en }] of Object.entries(table)) if (zh === text || en.toLowerCase() === wanted) return code;
  }
  throw new ValidationFailedError([{ field: 'type', messages: [`no event type is called “${text}”`] }]);
}
