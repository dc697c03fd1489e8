import { CourtScope } from '../identity/court-scope';
import { Reach, Scope } from '../identity/scope.decorator';
import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { contentDisposition } from '../attachments/file-rules';
import { CurrentUser, RequestUser } from '../identity/current-user.decorator';
import { Roles } from '../identity/roles.decorator';
import { BulletinQuery, CourtsReportQuery, RankingQuery, YearQuery } from './reports.dto';
import { ReportFile, ReportsService } from './reports.service';

const asFile = (file: ReportFile) =>
  new StreamableFile(file.content, {
    type: file.mime,
    length: file.content.length,
    disposition: contentDisposition(file.filename, file.fallbackFilename),
  });

@ApiTags('reports')
@ApiBearerAuth()
@Controller('reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get('bulletin')
  @Roles('committee', 'leader', 'auditor', 'secretary', 'supervisor')
  @ApiProduces('application/json', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  @ApiOperation({ summary: '每季一通报: each pairing’s quarter (format=xlsx for the spreadsheet); secretaries see their branch’s rows' })
  bulletin(@CurrentUser() user: RequestUser, @Scope() scope: CourtScope, @Query() query: BulletinQuery) {
    return query.format === 'xlsx'
      ? this.reports.bulletinWorkbook(user, query, scope).then(asFile)
      : this.reports.bulletin(user, query, scope);
  }

  @Get('ranking')
  @Roles('committee', 'leader', 'auditor', 'supervisor')
  @ApiProduces('application/json', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  @ApiOperation({
    summary:
      '每年一评比: scored pairings by final score with competition ranks and the quarters assessed, and lead branches by their mean (format=xlsx for the spreadsheet)',
  })
  ranking(@Scope() scope: CourtScope, @Query() query: RankingQuery) {
    return query.format === 'xlsx' ? this.reports.rankingWorkbook(scope, query).then(asFile) : this.reports.ranking(scope, query);
  }

  @Get('outcomes')
  @Roles('committee', 'leader', 'auditor', 'secretary', 'supervisor')
  @ApiOperation({
    summary:
      '成效指标: each outcome indicator of each pairing (baseline, target, quarterly values, final value, change, improved, target met) and each indicator across pairings; secretaries see their branch’s pairings',
  })
  outcomes(@CurrentUser() user: RequestUser, @Scope() scope: CourtScope, @Query() query: YearQuery) {
    return this.reports.outcomes(user, query, scope);
  }

  @Get('dashboard')
  @Roles('committee', 'leader', 'supervisor')
  @ApiOperation({
    summary:
      '总览: pairings by state, quarter compliance rate, activities per month by kind, score distribution, indicator changes and overdue work of the year',
  })
  dashboard(@CurrentUser() user: RequestUser, @Scope() scope: CourtScope, @Query() query: YearQuery) {
    return this.reports.dashboard(user, query, scope);
  }

  @Get('courts')
  @Roles('supervisor', 'leader')
  @ApiProduces('application/json', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  @ApiOperation({
    summary:
      '各院对比: each court’s pairings by state, quarter compliance rate, overdue quarters and mean final score, and a ranking of pairings and branches across courts (a supervisor: their courts, or courtId=; a leader: their own court; format=xlsx for the spreadsheet)',
  })
  courts(@Scope() scope: CourtScope, @Reach() reach: CourtScope, @Query() query: CourtsReportQuery) {
    // Comparing is the point: without courtId a supervisor gets every court they read.
    const courts = query.courtId === undefined ? reach : scope;
    return query.format === 'xlsx'
      ? this.reports.courtsReportWorkbook(courts, query).then(asFile)
      : this.reports.courtsReport(courts, query);
  }
}
