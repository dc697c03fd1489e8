import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RequestUser } from '../identity/current-user.decorator';
import { Clock, dateIn } from '../common/clock';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { DatabaseService } from '../database/database.service';
import { localTime, type PairingContext } from '../../workflows';
import { isTaskOverdue } from '../workflow-engine/open-task';
import { visiblePairings } from '../workflow-engine/pairing-access';
import { CourtScope } from '../identity/court-scope';
import { Pairing } from '../workflow-engine/pairing.entity';
import { PairingsRepository } from '../workflow-engine/pairings.repository';
import { BULLETIN_STATES, BulletinPairing, BulletinRow, BulletinTotals, belongsInBulletin, buildBulletin } from './bulletin';
import { bulletinFilename, bulletinWorkbook, XLSX_MIME } from './bulletin-workbook';
import { assessedQuarters, rankBranches, RankedBranch, RankedPairing, rankPairings } from './ranking';
import { rankingFilename, rankingWorkbook } from './ranking-workbook';
import { buildDashboard, Dashboard } from './dashboard';
import { buildOutcomes, IndicatorSummary, OUTCOME_STATES, OutcomeSource, PairingOutcomes } from './outcomes';
import { BulletinQuery, CourtsReportQuery, RankingQuery, YearQuery } from './reports.dto';
import { buildCourtsReport, CourtsReport } from './courts-report';
import { courtsFilename, courtsWorkbook } from './courts-workbook';
import { CourtDirectory } from '../identity/court-directory';
import { ReportsRepository } from './reports.repository';

export interface Bulletin {
  year: number;
  quarter: number;
  /** The day (in APP_TIMEZONE) overdue was judged on. */
  asOf: string;
  generatedAt: string;
  rows: BulletinRow[];
  totals: BulletinTotals;
}

export interface Ranking {
  year: number;
  generatedAt: string;
  pairings: RankedPairing[];
  branches: RankedBranch[];
}

export interface Outcomes {
  year: number;
  generatedAt: string;
  pairings: PairingOutcomes[];
  indicators: IndicatorSummary[];
}

export type DashboardView = Dashboard & { year: number; asOf: string; generatedAt: string };

export interface ReportFile {
  filename: string;
  /** ASCII name for clients that cannot read filename*. */
  fallbackFilename: string;
  mime: string;
  content: Buffer;
}

interface PersistedContext {
  startQuarter?: number | null;
  planAcceptedOn?: string | null;
  overdueQuarters?: number[];
}

/** The fields of the workflow context the bulletin reads, straight from the persisted snapshot. */
function workflowFacts(pairing: Pairing): Pick<BulletinPairing, 'startQuarter' | 'planAcceptedOn' | 'overdueQuarters'> {
  let context: PersistedContext = {};
  try {
    context = (JSON.parse(pairing.snapshot) as { context?: PersistedContext }).context ?? {};
  } catch {
    // An unreadable snapshot cannot flag anything; the pairing still appears in the bulletin.
  }
  return {
    startQuarter: typeof context.startQuarter === 'number' ? context.startQuarter : null,
    planAcceptedOn: typeof context.planAcceptedOn === 'string' ? context.planAcceptedOn : null,
    overdueQuarters: Array.isArray(context.overdueQuarters) ? context.overdueQuarters.filter((q) => typeof q === 'number') : [],
  };
}

/** The workflow context kept in the pairing's snapshot; null when it cannot be read. */
function contextOf(pairing: Pick<Pairing, 'snapshot'>): PairingContext | null {
  try {
    const context = (JSON.parse(pairing.snapshot) as { context?: PairingContext }).context;
    return context && typeof context === 'object' ? { ...context, overdueQuarters: context.overdueQuarters ?? [] } : null;
  } catch {
    return null;
  }
}

@Injectable()
export class ReportsService {
  constructor(
    private readonly db: DatabaseService,
    private readonly repository: ReportsRepository,
    private readonly pairings: PairingsRepository,
    private readonly clock: Clock,
    private readonly courts: CourtDirectory,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * 各院对比: each court of the scope side by side — pairings by state, quarter compliance, overdue quarters,
   * mean final score — and the pairings and branches ranked across them, each naming its court.
   */
  async courtsReport(scope: CourtScope, { year, quarter }: CourtsReportQuery): Promise<CourtsReport> {
    const now = this.clock.now();
    const asOf = dateIn(this.config.timezone, now);
    const built = await this.db.read(async (m) => {
      const courts = (await this.courts.all(m)).filter((court) => scope.includes(court.id));
      const pairings = await this.repository.comparedPairings(m, scope, year);
      return buildCourtsReport({
        year,
        quarter: quarter ?? null,
        today: asOf,
        courts,
        pairings: pairings.map((p) => ({ ...p, context: contextOf(p) })),
        activities: await this.repository.comparedActivities(m, scope, year),
        branchNames: await this.repository.branchNames(m, scope),
      });
    });
    return { ...built, asOf, generatedAt: now.toISOString() };
  }

  async courtsReportWorkbook(scope: CourtScope, query: CourtsReportQuery): Promise<ReportFile> {
    const report = await this.courtsReport(scope, query);
    return {
      filename: courtsFilename(report.year, report.quarter),
      fallbackFilename: `courts-${report.year}${report.quarter ? `-Q${report.quarter}` : ''}.xlsx`,
      mime: XLSX_MIME,
      content: await courtsWorkbook(report, localTime(report.generatedAt, this.config.timezone, 'minutes')),
    };
  }

  /** 每季一通报. Secretaries get only the pairings their branch leads or joins; the totals follow. */
  async bulletin(user: RequestUser, { year, quarter }: BulletinQuery, scope: CourtScope = CourtScope.own(user)): Promise<Bulletin> {
    const now = this.clock.now();
    const asOf = dateIn(this.config.timezone, now);
    const input = await this.db.read(async (m) => {
      const candidates = await visiblePairings(
        m,
        this.pairings,
        user,
        await this.repository.pairingsOfYear(m, scope, year, BULLETIN_STATES),
        scope,
      );
      const approved = await this.pairings.everApproved(
        m,
        candidates.filter((p) => p.state === 'terminated').map((p) => p.id),
      );
      const pairings = candidates.filter((p) => belongsInBulletin(p.state, approved.has(p.id)));
      const ids = pairings.map((p) => p.id);
      return {
        pairings,
        activities: await this.repository.countedActivities(m, ids, quarter),
        reports: await this.repository.quarterReports(m, ids, quarter),
        branchNames: await this.repository.branchNames(m, scope),
        partnerNames: await this.repository.partnerNames(m, scope),
      };
    });
    const { rows, totals } = buildBulletin({
      year,
      quarter,
      today: asOf,
      ...input,
      pairings: input.pairings.map((p) => ({
        id: p.id,
        year: p.year,
        code: p.code,
        title: p.title,
        state: p.state,
        leadBranchId: p.leadBranchId,
        coBranchIds: p.coBranchIds,
        partnerIds: p.partnerIds,
        quarterScores: p.quarterScores,
        ...workflowFacts(p),
      })),
    });
    // Across courts (a supervisor's courtId=all) each row names its court.
    const courtOf = new Map(input.pairings.map((p) => [p.id, p.courtId]));
    return {
      year,
      quarter,
      asOf,
      generatedAt: now.toISOString(),
      rows: rows.map((r) => ({ ...r, courtId: courtOf.get(r.pairingId)! })),
      totals,
    };
  }

  async bulletinWorkbook(user: RequestUser, query: BulletinQuery, scope: CourtScope = CourtScope.own(user)): Promise<ReportFile> {
    const bulletin = await this.bulletin(user, query, scope);
    return {
      filename: bulletinFilename(query.year, query.quarter),
      fallbackFilename: `bulletin-${query.year}-Q${query.quarter}.xlsx`,
      mime: XLSX_MIME,
      content: await bulletinWorkbook(bulletin),
    };
  }

  /** 每年一评比: scored pairings of the year by final score, and lead branches by their mean. */
  async ranking(scope: CourtScope, { year }: RankingQuery): Promise<Ranking> {
    const generatedAt = this.clock.now().toISOString();
    const { pairings, branchNames } = await this.db.read(async (m) => ({
      pairings: await this.repository.scoredPairings(m, scope, year),
      branchNames: await this.repository.branchNames(m, scope),
    }));
    const scored = pairings
      .filter((p): p is Pairing & { finalScore: number } => p.finalScore !== null)
      .map((p) => {
        const { startQuarter } = workflowFacts(p);
        return {
          pairingId: p.id,
          courtId: p.courtId,
          code: p.code,
          title: p.title,
          leadBranchId: p.leadBranchId,
          leadBranchName: branchNames.get(p.leadBranchId) ?? `#${p.leadBranchId}`,
          finalScore: p.finalScore,
          startQuarter,
          quartersAssessed: assessedQuarters(p.quarterScores, startQuarter),
        };
      });
    return { year, generatedAt, pairings: rankPairings(scored), branches: rankBranches(scored) };
  }

  /** 成效指标: each indicator of each pairing the user may see, and each indicator across them. */
  async outcomes(user: RequestUser, { year }: YearQuery, scope: CourtScope = CourtScope.own(user)): Promise<Outcomes> {
    const generatedAt = this.clock.now().toISOString();
    const sources = await this.db.read(async (m) => {
      const pairings = await visiblePairings(
        m,
        this.pairings,
        user,
        await this.repository.pairingsOfYear(m, scope, year, OUTCOME_STATES),
        scope,
      );
      return this.outcomeSources(m, scope, pairings);
    });
    return { year, generatedAt, ...buildOutcomes(sources) };
  }

  /** 总览: the year at a glance, from the rules the bulletin and the pairing page use. */
  async dashboard(user: RequestUser, { year }: YearQuery, scope: CourtScope = CourtScope.own(user)): Promise<DashboardView> {
    const now = this.clock.now();
    const asOf = dateIn(this.config.timezone, now);
    const { pairings, activities, sources, branchNames } = await this.db.read(async (m) => {
      const pairings = await visiblePairings(m, this.pairings, user, await this.repository.allOfYear(m, scope, year), scope);
      const ids = pairings.map((p) => p.id);
      return {
        pairings,
        activities: await this.repository.activitiesOf(m, ids),
        sources: await this.outcomeSources(
          m,
          scope,
          pairings.filter((p) => OUTCOME_STATES.includes(p.state)),
        ),
        branchNames: await this.repository.branchNames(m, scope),
      };
    });
    const dashboard = buildDashboard({
      year,
      today: asOf,
      activities,
      outcomes: buildOutcomes(sources),
      pairings: pairings.map((p) => {
        const context = contextOf(p);
        return {
          id: p.id,
          code: p.code,
          title: p.title,
          state: p.state,
          leadBranchId: p.leadBranchId,
          leadBranchName: branchNames.get(p.leadBranchId) ?? `#${p.leadBranchId}`,
          quarterScores: p.quarterScores,
          finalScore: p.finalScore,
          context,
          task: p.taskKind && {
            kind: p.taskKind,
            waitsOn: p.taskWaitsOn,
            dueAt: p.taskDueAt,
            quarter: p.quarter,
            overdue: context !== null && isTaskOverdue(p, context, now.toISOString(), asOf),
          },
        };
      }),
    });
    return { year, asOf, generatedAt: now.toISOString(), ...dashboard };
  }

  private async outcomeSources(m: EntityManager, scope: CourtScope, pairings: Pairing[]): Promise<OutcomeSource[]> {
    const ids = pairings.map((p) => p.id);
    const [plans, reports, reviews, branchNames] = await Promise.all([
      this.repository.acceptedPlans(m, ids),
      this.repository.reportValues(m, ids),
      this.repository.reviewOutcomes(m, ids),
      this.repository.branchNames(m, scope),
    ]);
    return pairings.map((p) => ({
      pairing: {
        id: p.id,
        code: p.code,
        title: p.title,
        state: p.state,
        leadBranchId: p.leadBranchId,
        leadBranchName: branchNames.get(p.leadBranchId) ?? `#${p.leadBranchId}`,
      },
      indicators: plans.filter((plan) => plan.pairingId === p.id).pop()?.indicators ?? [],
      reports: reports.filter((r) => r.pairingId === p.id),
      reviews: reviews.filter((r) => r.pairingId === p.id),
    }));
  }

  async rankingWorkbook(scope: CourtScope, query: RankingQuery): Promise<ReportFile> {
    const ranking = await this.ranking(scope, query);
    return {
      filename: rankingFilename(query.year),
      fallbackFilename: `ranking-${query.year}.xlsx`,
      mime: XLSX_MIME,
      content: await rankingWorkbook(ranking, localTime(ranking.generatedAt, this.config.timezone, 'minutes')),
    };
  }
}
