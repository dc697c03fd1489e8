import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ZipFile } from 'yazl';
import { AttachmentStore } from '../attachments/attachment-store';
import type { AuditEventView } from '../audit/audit.service';
import { AuditSigningKey } from '../audit/audit-signing-key';
import { CheckpointHead, signedCheckpoint } from '../audit/checkpoint';
import { Clock } from '../common/clock';
import { ForbiddenError } from '../common/errors';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { DatabaseService } from '../database/database.service';
import { hasRole, RequestUser } from '../identity/current-user.decorator';
import { PairingDetail, PairingsService } from '../pairings/pairings.service';
import { ReportsService } from '../reports/reports.service';
import {
  archiveReadme,
  attachmentUses,
  chainJsonl,
  dossierReadme,
  EvidenceFile,
  evidencePaths,
  manifestCsv,
  verifierScript,
} from './dossier-files';
import { DossierRepository } from './dossier.repository';
import { CourtScope } from '../identity/court-scope';
import { PairingNames } from './pairing-names';
import { approvedRevision, revisionsOf } from '../pairings/revisions';
import { SummaryInput, summaryDocx } from './summary-docx';
import { stringify } from 'csv-stringify/sync';
import { labelOf, pairingForm, STATE_LABELS } from '../../workflows';

export interface ZipDownload {
  filename: string;
  /** ASCII name for clients that cannot read filename*. */
  fallbackFilename: string;
  stream: Readable;
}

/** One dossier as ZIP entries: small files in memory, evidence read from the store when its turn comes. */
interface DossierContent {
  code: string;
  files: { path: string; data: Buffer }[];
  evidence: (EvidenceFile & { stored: boolean; mtime: Date })[];
}

/**
 * Who may take a pairing's dossier (SPEC §13): besides those who read everything, the lead branch's secretaries.
 * A supervisor takes those of its own court and of the courts below it, as it reads their pairings.
 */
const READERS = ['auditor', 'committee', 'leader', 'supervisor'] as const;
const PAGE = 100;

/**
 * The dossier (档案) of a pairing and the year archive: built from the read side (PairingsService), the
 * evidence store and the signing key, streamed as ZIP (yazl) so that memory stays flat whatever the size.
 */
@Injectable()
export class DossierService {
  private readonly logger = new Logger(DossierService.name);

  constructor(
    private readonly pairings: PairingsService,
    private readonly reports: ReportsService,
    private readonly db: DatabaseService,
    private readonly names: PairingNames,
    private readonly repository: DossierRepository,
    private readonly store: AttachmentStore,
    private readonly signingKey: AuditSigningKey,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * GET /api/pairings/:id/dossier: 404 when the user may not see the pairing, 403 when they may see but not file it.
   * `reach`: the courts the user reads one pairing of (a supervisor's own and those below it).
   */
  async dossier(user: RequestUser, pairingId: number, reach: CourtScope = CourtScope.own(user)): Promise<ZipDownload> {
    const detail = await this.pairings.get(user, pairingId, reach);
    if (!hasRole(user, ...READERS) && !(hasRole(user, 'secretary') && user.branchId === detail.leadBranchId)) {
      throw new ForbiddenError(
        'Only auditors, the committee, leaders, supervisors and the lead branch’s secretaries may take a pairing’s dossier.',
      );
    }
    // Its rank among the scored pairings of its own court, whoever reads it.
    const ranks = await this.ranks(
      detail.courtId === user.courtId ? CourtScope.own(user) : CourtScope.across(user.courtId, [detail.courtId]),
      detail.year,
    );
    const content = await this.content(user, detail, ranks, reach);
    const zip = new ZipFile();
    this.add(zip, '', content);
    zip.end();
    return { filename: `档案-${detail.code}.zip`, fallbackFilename: `dossier-${detail.code}.zip`, stream: zip.outputStream as Readable };
  }

  /** GET /api/reports/archive?year=: every pairing of the year, whatever its state, one folder each. */
  async archive(user: RequestUser, year: number): Promise<ZipDownload> {
    const listed = await this.pairingsOf(user, year);
    const ranks = await this.ranks(CourtScope.own(user), year);
    const generatedAt = this.clock.now().toISOString();
    const zip = new ZipFile();
    const mtime = new Date(generatedAt);
    zip.addBuffer(Buffer.from(archiveReadme(year, listed.length, generatedAt, this.config.timezone)), 'README.txt', { mtime });
    zip.addBuffer(verifierScript(), 'verify.mjs', { mtime, mode: 0o100755 });
    zip.addBuffer(
      Buffer.from(
        stringify(
          listed.map((p) => {
            const rank = ranks.get(p.id);
            return [
              p.code,
              p.title,
              labelOf(STATE_LABELS, p.state),
              p.finalScore === null ? '' : p.finalScore.toFixed(2),
              rank ? rank.rank : '',
              `${p.code}/`,
            ];
          }),
          {
            bom: true,
            header: true,
            columns: ['项目编号', '项目名称', '状态', '总分', '排名', '文件夹'],
            record_delimiter: 'windows',
            escape_formulas: true,
          },
        ),
      ),
      'index.csv',
      { mtime },
    );
    // One pairing at a time: the next is read only once the ZIP has taken the last entry of this one. A
    // download given up half way closes the stream: then nothing more is read.
    const output = zip.outputStream as Readable;
    const closed = new Promise<'closed'>((resolve) => output.once('close', () => resolve('closed')));
    const write = async () => {
      for (const listedPairing of listed) {
        if (output.destroyed) return;
        const detail = await this.pairings.get(user, listedPairing.id);
        const taken = this.add(zip, `${detail.code}/`, await this.content(user, detail, ranks));
        if ((await Promise.race([taken, closed])) === 'closed') return;
      }
      zip.end();
    };
    write().catch((error: unknown) => {
      this.logger.error(`The ${year} archive stopped: ${(error as Error).message}`);
      output.destroy(error as Error);
    });
    return { filename: `年度归档-${year}.zip`, fallbackFilename: `archive-${year}.zip`, stream: zip.outputStream as Readable };
  }

  private async pairingsOf(user: RequestUser, year: number) {
    const all: Awaited<ReturnType<PairingsService['list']>>['items'] = [];
    for (let page = 1; ; page++) {
      const { items, total } = await this.pairings.list(user, { year, page, pageSize: PAGE });
      all.push(...items);
      if (page * PAGE >= total || !items.length) break;
    }
    return all.sort((a, b) => a.code.localeCompare(b.code));
  }

  /** Rank of each scored pairing of the court and year, as the annual ranking (每年一评比) gives it. */
  private async ranks(court: CourtScope, year: number): Promise<Map<number, { rank: number; of: number }>> {
    const { pairings } = await this.reports.ranking(court, { year });
    return new Map(pairings.map((p) => [p.pairingId, { rank: p.rank, of: pairings.length }]));
  }

  /** Adds a dossier's entries under `prefix`; resolves when the ZIP starts on its last entry. */
  private add(zip: ZipFile, prefix: string, content: DossierContent): Promise<void> {
    const now = this.clock.now();
    const [readme, others] = [content.files.filter((f) => f.path === 'README.txt'), content.files.filter((f) => f.path !== 'README.txt')];
    for (const file of others)
      zip.addBuffer(file.data, `${prefix}${file.path}`, { mtime: now, mode: file.path === 'verify.mjs' ? 0o100755 : 0o100644 });
    for (const file of content.evidence) {
      if (!file.stored) continue;
      // Pictures, PDFs and Office files are compressed already: stored as they are.
      zip.addReadStreamLazy(`${prefix}${file.path}`, { mtime: file.mtime, size: file.size, compress: false }, (done) =>
        done(null, this.store.open(file.sha256)),
      );
    }
    // README.txt goes last: when the ZIP asks for it, everything before it has been handed on.
    return new Promise((resolve) => {
      zip.addReadStreamLazy(`${prefix}README.txt`, { mtime: now }, (done) => {
        resolve();
        done(null, Readable.from([readme[0].data]));
      });
    });
  }

  private async content(
    user: RequestUser,
    detail: PairingDetail,
    ranks: Map<number, { rank: number; of: number }>,
    reach: CourtScope = CourtScope.own(user),
  ): Promise<DossierContent> {
    const history = await this.pairings.history(user, detail.id, reach);
    const last = history[history.length - 1];
    const { rows, lookup } = await this.db.read(async (m) => {
      const attachments = await this.repository.attachmentsOf(m, detail.id);
      const users = new Set<number>(attachments.map((a) => a.uploadedBy));
      if (detail.liaisonUserId !== null) users.add(detail.liaisonUserId);
      const names = await this.names.names(m, {
        user: users,
        branch: new Set([detail.leadBranchId, ...detail.coBranchIds]),
        partner: new Set([...detail.partnerIds, ...detail.partnerLiaisons.map((l) => l.partnerId)]),
      });
      return { rows: attachments, lookup: names };
    });
    const uses = attachmentUses(history);
    const paths = evidencePaths(rows.map((a) => a.filename));
    const evidence = await Promise.all(
      rows.map(async (a, i) => ({
        attachmentId: a.id,
        path: paths[i],
        sha256: a.sha256,
        size: a.size,
        uploadedBy: lookup('user', a.uploadedBy) ?? `#${a.uploadedBy}`,
        uploadedAt: a.createdAt,
        usedBySeqs: uses.get(a.id) ?? [],
        stored: (await this.store.sizeOf(this.store.pathOf(a.sha256))) === a.size,
        mtime: new Date(a.createdAt),
      })),
    );
    const keys = await this.signingKey.get();
    const generatedAt = this.clock.now().toISOString();
    const head: CheckpointHead = { chain: last.chain, seq: last.seq, hash: last.hash };
    const checkpoint = signedCheckpoint([head], keys, generatedAt);
    const fileName = new Map(rows.map((a, i) => [a.id, paths[i].slice('evidence/'.length)]));
    const summary = await summaryDocx(this.summary(detail, history, lookup, fileName, ranks, { ...head, at: generatedAt }));
    const readme = dossierReadme({
      code: detail.code,
      title: detail.title,
      chain: head.chain,
      events: history.length,
      headHash: head.hash,
      evidence: evidence.length,
      generatedAt,
      keyFingerprint: createHash('sha256')
        .update(keys.publicKey.export({ type: 'spki', format: 'der' }))
        .digest('hex')
        .replace(/(.{4})(?!$)/g, '$1 '),
      timeZone: this.config.timezone,
    });
    return {
      code: detail.code,
      files: [
        { path: 'summary.docx', data: summary },
        { path: 'evidence/manifest.csv', data: Buffer.from(manifestCsv(evidence, this.config.timezone)) },
        { path: 'audit/chain.jsonl', data: Buffer.from(chainJsonl(history)) },
        { path: 'audit/checkpoint.json', data: Buffer.from(`${JSON.stringify(checkpoint, null, 2)}\n`) },
        { path: 'audit/public-key.pem', data: Buffer.from(keys.publicKeyPem) },
        { path: 'verify.mjs', data: verifierScript() },
        { path: 'README.txt', data: Buffer.from(readme) },
      ],
      evidence,
    };
  }

  private summary(
    detail: PairingDetail,
    history: AuditEventView[],
    names: (kind: 'user' | 'branch' | 'partner', id: number) => string | undefined,
    files: Map<number, string>,
    ranks: Map<number, { rank: number; of: number }>,
    audit: CheckpointHead & { at: string },
  ): SummaryInput {
    // The proposal as approved (the revision the approval rests on); else the last one submitted, else the draft.
    const revisions = revisionsOf(history);
    const approved = approvedRevision(revisions);
    const revision = approved ?? revisions[revisions.length - 1] ?? null;
    const proposal = (revision?.proposal ?? detail) as Record<string, unknown> & typeof detail;
    const branch = (id: number) => names('branch', id) ?? `#${id}`;
    const partner = (id: number) => names('partner', id) ?? `#${id}`;
    const fileNames = (ids: number[] | undefined) => (ids ?? []).map((id) => files.get(id) ?? `#${id}`);
    const coBranchIds = (proposal.coBranchIds ?? []) as number[];
    const partnerIds = (proposal.partnerIds ?? []) as number[];
    const liaisonUserId = (proposal.liaisonUserId ?? null) as number | null;
    return {
      code: detail.code,
      year: detail.year,
      title: detail.title,
      state: detail.state,
      proposal: {
        revision: revision?.revision ?? null,
        approved: approved !== undefined,
        theme: String(proposal.theme ?? ''),
        problem: String(proposal.problem ?? ''),
        goals: (proposal.goals ?? null) as string | null,
        mode: String(proposal.mode ?? detail.mode),
        form: pairingForm({ coBranchIds, partnerIds }),
        leadBranch: branch(Number(proposal.leadBranchId ?? detail.leadBranchId)),
        coBranches: coBranchIds.map(branch),
        partners: partnerIds.map(partner),
        categories: (proposal.categories ?? []) as string[],
        liaison: liaisonUserId === null ? null : (names('user', liaisonUserId) ?? `#${liaisonUserId}`),
        partnerLiaisons: ((proposal.partnerLiaisons ?? []) as { partnerId: number; name: string; phone: string }[]).map((l) => ({
          partner: partner(l.partnerId),
          name: l.name,
          phone: l.phone,
        })),
      },
      agreement: detail.agreement && {
        ...detail.agreement,
        files: fileNames(detail.agreement.attachmentIds),
        countersignedBy: detail.agreement.countersignatures.map((c) => ({
          partner: partner(c.partnerId),
          paper: c.paper,
          at: c.countersignedAt,
          by: names('user', c.countersignedBy) ?? `#${c.countersignedBy}`,
        })),
      },
      plan: detail.plan && { startQuarter: detail.plan.startQuarter, status: detail.plan.status, items: detail.plan.items },
      activities: detail.activities.map((a) => ({
        heldOn: a.heldOn,
        quarter: a.quarter,
        kind: a.kind,
        title: a.title,
        location: a.location,
        participants: a.participants,
        partnerParticipants: a.partnerParticipants,
        summary: a.summary,
        files: fileNames(a.attachmentIds),
        voided: a.voided,
        voidComment: a.voidComment,
        confirmedBy: a.confirmations.map((c) => partner(c.partnerId)),
      })),
      evaluations: detail.evaluations.map((e) => ({
        partner: partner(e.partnerId),
        rating: e.rating,
        comment: e.comment,
        at: e.evaluatedAt,
      })),
      reports: detail.reports.map((r) => ({
        quarter: r.quarter,
        status: r.status,
        summary: r.summary,
        planProgress: r.planProgress,
        shortfallReason: r.shortfallReason,
        requirementsMet: r.requirementsMet,
        score: r.score,
        comment: r.scoreComment,
        submittedAt: r.submittedAt,
      })),
      review: detail.review && {
        summary: detail.review.summary,
        problemSolved: detail.review.problemSolved,
        problemResolution: detail.review.problemResolution,
        outcomes: detail.review.outcomes,
        status: detail.review.status,
        score: detail.review.score,
        comment: detail.review.comment,
      },
      quarterScores: detail.quarterScores,
      finalScore: detail.finalScore,
      rank: ranks.get(detail.id) ?? null,
      audit: { chain: audit.chain, events: history.length, headHash: audit.hash, checkpointAt: audit.at },
      generatedAt: audit.at,
      timeZone: this.config.timezone,
    };
  }
}
