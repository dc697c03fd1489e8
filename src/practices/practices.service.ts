import { CourtScope } from '../identity/court-scope';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ReviewOutcome } from '../../workflows';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { ConflictError, NotFoundError, RuleViolationError, ValidationFailedError } from '../common/errors';
import { DatabaseService } from '../database/database.service';
import type { RequestUser } from '../identity/current-user.decorator';
import { IndicatorOutcome, pairingOutcomes } from '../reports/outcomes';
import { ReportsRepository } from '../reports/reports.repository';
import { Pairing } from '../workflow-engine/pairing.entity';
import { isPhoto, mayReadPractices, maySeeWithdrawn } from './practice-access';
import { Practice } from './practice.entity';
import { PracticesQuery, PublishPracticeDto, WithdrawPracticeDto } from './practices.dto';
import { PracticesRepository } from './practices.repository';

export interface PracticePhotoView {
  id: number;
  filename: string;
  mime: string;
  size: number;
}

/** A good practice as the 好做法 page shows it: the article, the pairing behind it, its outcomes and photos. */
export interface PracticeView {
  id: number;
  status: Practice['status'];
  title: string;
  summary: string;
  publishedAt: string;
  publishedBy: { id: number; displayName: string };
  withdrawnAt: string | null;
  withdrawComment: string | null;
  pairing: {
    id: number;
    code: string;
    year: number;
    title: string;
    theme: string;
    problem: string;
    leadBranchName: string;
    partnerNames: string[];
    finalScore: number | null;
  };
  /** The approved year-end review: whether and how the practical problem was solved, and its outcomes as entered. */
  review: { problemSolved: boolean; problemResolution: string; outcomes: ReviewOutcome[] } | null;
  /** The plan's indicators with what the year did to them (empty when the plan declared none). */
  indicators: IndicatorOutcome[];
  photos: PracticePhotoView[];
}

/**
 * 好做法 (总结推广): the committee publishes a scored pairing for every member of staff to read, and may
 * withdraw it with a reason; both are recorded in the court's system chain. The pairing itself is not
 * touched: it stays scored, and its own chain is the engine's.
 */
@Injectable()
export class PracticesService {
  constructor(
    private readonly db: DatabaseService,
    private readonly repository: PracticesRepository,
    private readonly reports: ReportsRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async publish(user: RequestUser, dto: PublishPracticeDto): Promise<PracticeView> {
    const id = await this.db.transaction(async (m) => {
      // The pairing's row lock queues two committee members publishing the same pairing.
      const pairing = await this.db.findForUpdate(m, Pairing, {
        where: { id: dto.pairingId, ...CourtScope.own(user).where() },
        select: { id: true, code: true, state: true },
      });
      if (!pairing) throw new ValidationFailedError([{ field: 'pairingId', messages: [`pairing ${dto.pairingId} does not exist`] }]);
      if (pairing.state !== 'scored') {
        throw new RuleViolationError(
          'PAIRING_NOT_SCORED',
          `Only a scored pairing can be published as a good practice; ${pairing.code} is ${pairing.state}.`,
          422,
          {
            state: pairing.state,
          },
        );
      }
      const live = await this.repository.livePracticeOf(m, pairing.id);
      if (live) {
        throw new ConflictError(
          'PRACTICE_ALREADY_PUBLISHED',
          `${pairing.code} is already published as a good practice; withdraw it first to publish it anew.`,
          {
            practiceId: live.id,
          },
        );
      }
      const photos = await this.checkedPhotos(m, pairing.id, dto.attachmentIds ?? []);
      const now = this.clock.now().toISOString();
      const row = {
        pairingId: pairing.id,
        title: dto.title,
        summary: dto.summary,
        status: 'published' as const,
        live: 1,
        publishedBy: user.id,
        publishedAt: now,
        withdrawnBy: null,
        withdrawnAt: null,
        withdrawComment: null,
      };
      const practiceId = await this.repository.insert(
        m,
        row,
        photos.map((p) => p.id),
      );
      await this.audit.appendForCourt(m, user.courtId, {
        actorId: user.id,
        type: 'PRACTICE_PUBLISHED',
        payload: {
          practiceId,
          pairingId: pairing.id,
          code: pairing.code,
          title: dto.title,
          summary: dto.summary,
          attachmentIds: photos.map((p) => p.id),
          attachments: photos.map((p) => ({ id: p.id, filename: p.filename, sha256: p.sha256 })),
        },
      });
      return practiceId;
    });
    return this.get(user, id);
  }

  async withdraw(user: RequestUser, id: number, dto: WithdrawPracticeDto): Promise<PracticeView> {
    await this.db.transaction(async (m) => {
      const practice =
        (await this.repository.findById(m, CourtScope.own(user), id)) && (await this.db.findForUpdate(m, Practice, { where: { id } }));
      if (!practice) throw new NotFoundError('The good practice');
      if (practice.status === 'withdrawn') {
        throw new ConflictError('PRACTICE_ALREADY_WITHDRAWN', 'This good practice was withdrawn already.', {
          withdrawnAt: practice.withdrawnAt,
        });
      }
      await this.repository.withdraw(m, id, {
        withdrawnBy: user.id,
        withdrawnAt: this.clock.now().toISOString(),
        withdrawComment: dto.comment,
      });
      await this.audit.appendForCourt(m, user.courtId, {
        actorId: user.id,
        type: 'PRACTICE_WITHDRAWN',
        payload: { practiceId: id, pairingId: practice.pairingId, title: practice.title },
        comment: dto.comment,
      });
    });
    return this.get(user, id);
  }

  /** The published practices, newest first. */
  async list(user: RequestUser, query: PracticesQuery, scope: CourtScope = CourtScope.own(user)): Promise<PracticeView[]> {
    if (!mayReadPractices(user)) return [];
    return this.db.read(async (m) => {
      const views = await this.views(m, scope, await this.repository.published(m, scope));
      return query.year === undefined ? views : views.filter((v) => v.pairing.year === query.year);
    });
  }

  /**
   * One practice of the courts the user reads (a supervisor: theirs and those below, as the list shows them);
   * a withdrawn one only for those who keep watch over them (committee, auditors, leaders).
   */
  async get(user: RequestUser, id: number, scope: CourtScope = CourtScope.own(user)): Promise<PracticeView> {
    const view = await this.db.read(async (m) => {
      const practice = await this.repository.findById(m, scope, id);
      if (!practice || !mayReadPractices(user) || (practice.status !== 'published' && !maySeeWithdrawn(user))) return null;
      return (await this.views(m, scope, [practice]))[0];
    });
    if (!view) throw new NotFoundError('The good practice');
    return view;
  }

  /** The chosen attachments: each a photo of this pairing's evidence, each once. */
  private async checkedPhotos(m: EntityManager, pairingId: number, ids: number[]) {
    const found = new Map((await this.repository.attachments(m, ids)).map((a) => [a.id, a]));
    const problems: { field: string; messages: string[] }[] = [];
    ids.forEach((id, i) => {
      const attachment = found.get(id);
      const field = `attachmentIds.${i}`;
      if (ids.indexOf(id) !== i) problems.push({ field, messages: [`attachment ${id} is chosen twice`] });
      else if (!attachment || attachment.pairingId !== pairingId) {
        problems.push({ field, messages: [`attachment ${id} is not part of this pairing's evidence`] });
      } else if (!isPhoto(attachment.mime))
        problems.push({ field, messages: [`attachment ${id} (${attachment.filename}) is not a photo (JPG or PNG)`] });
    });
    if (problems.length) throw new ValidationFailedError(problems);
    return ids.map((id) => found.get(id)!);
  }

  private async views(m: EntityManager, scope: CourtScope, practices: Practice[]): Promise<PracticeView[]> {
    if (!practices.length) return [];
    const pairingIds = [...new Set(practices.map((p) => p.pairingId))];
    const [pairings, plans, reports, reviews, photos, branchNames, partnerNames, names] = await Promise.all([
      this.repository.pairings(m, pairingIds),
      this.reports.acceptedPlans(m, pairingIds),
      this.reports.reportValues(m, pairingIds),
      this.repository.reviews(m, pairingIds),
      this.repository.photos(
        m,
        practices.map((p) => p.id),
      ),
      this.repository.branchNames(m, scope),
      this.repository.partnerNames(m, scope),
      this.repository.displayNames(
        m,
        practices.map((p) => p.publishedBy),
      ),
    ]);
    const attachments = new Map(
      (await this.repository.attachments(m, [...new Set(photos.map((p) => p.attachmentId))])).map((a) => [a.id, a]),
    );
    const pairingById = new Map(pairings.map((p) => [p.id, p]));
    return practices.flatMap((practice) => {
      const pairing = pairingById.get(practice.pairingId);
      if (!pairing) return [];
      const leadBranchName = branchNames.get(pairing.leadBranchId) ?? `#${pairing.leadBranchId}`;
      const ownReviews = reviews.filter((r) => r.pairingId === pairing.id);
      const approved = [...ownReviews].reverse().find((r) => r.status === 'approved') ?? null;
      const outcomes = pairingOutcomes({
        pairing: {
          id: pairing.id,
          code: pairing.code,
          title: pairing.title,
          state: pairing.state,
          leadBranchId: pairing.leadBranchId,
          leadBranchName,
        },
        indicators: plans.filter((p) => p.pairingId === pairing.id).pop()?.indicators ?? [],
        reports: reports.filter((r) => r.pairingId === pairing.id),
        reviews: ownReviews,
      });
      return [
        {
          id: practice.id,
          status: practice.status,
          title: practice.title,
          summary: practice.summary,
          publishedAt: practice.publishedAt,
          publishedBy: { id: practice.publishedBy, displayName: names.get(practice.publishedBy) ?? `#${practice.publishedBy}` },
          withdrawnAt: practice.withdrawnAt,
          withdrawComment: practice.withdrawComment,
          pairing: {
            id: pairing.id,
            code: pairing.code,
            year: pairing.year,
            title: pairing.title,
            theme: pairing.theme,
            problem: pairing.problem,
            leadBranchName,
            partnerNames: pairing.partnerIds.map((id) => partnerNames.get(id) ?? `#${id}`),
            finalScore: pairing.finalScore,
          },
          review: approved && {
            problemSolved: approved.problemSolved,
            problemResolution: approved.problemResolution,
            outcomes: approved.outcomes,
          },
          indicators: outcomes.indicators,
          photos: photos
            .filter((p) => p.practiceId === practice.id)
            .flatMap((p) => {
              const a = attachments.get(p.attachmentId);
              return a ? [{ id: a.id, filename: a.filename, mime: a.mime, size: a.size }] : [];
            }),
        },
      ];
    });
  }
}
