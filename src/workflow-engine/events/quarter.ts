import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsInt, IsOptional, Max, Min, ValidateNested } from 'class-validator';
import {
  indicatorValueProblems,
  quarterRequirementsMet,
  type IndicatorValue,
  type QuarterCounts,
  type QuarterReportPayload,
  type ScorePayload,
} from '../../../workflows';
import { OptionalText, RequiredText } from '../../common/validators';
import type { Activity, SubmissionStatus } from '../records.entity';
import { EventHandler, EventWithOptionalComment, FiniteNumber, latest, replaced, ScoreField } from './event-handler';
import { acceptedIndicators } from './plan';

export class IndicatorValueDto implements IndicatorValue {
  @RequiredText(100, 'An indicator the accepted plan declared', '家事纠纷诉前化解率') name!: string;
  @FiniteNumber('Its value at the end of the quarter, in the plan’s unit', 52.4) value!: number;
}

export class QuarterReportEventDto extends EventWithOptionalComment implements QuarterReportPayload {
  @RequiredText(10000, 'How the quarter went') summary!: string;
  @OptionalText(5000, 'Progress against the plan') planProgress?: string;
  @OptionalText(5000, 'Required when the quarter lacks a joint meeting or an activity day') shortfallReason?: string;

  @ApiPropertyOptional({ type: [IndicatorValueDto], description: 'Values of the plan’s outcome indicators this quarter' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => IndicatorValueDto)
  indicatorValues?: IndicatorValueDto[];
}

export class ScoreEventDto extends EventWithOptionalComment implements ScorePayload {
  @ScoreField() score!: number;
}

export class QuarterOverdueEventDto {
  @ApiProperty({ minimum: 1, maximum: 4 }) @IsInt() @Min(1) @Max(4) quarter!: number;
}

/** The non-void activities of a quarter towards its two obligations. */
export function quarterCounts(activities: readonly Activity[], quarter: number): QuarterCounts {
  let jointMeetings = 0;
  let activityDays = 0;
  for (const a of activities) {
    if (a.quarter !== quarter || a.voided) continue;
    if (a.kind === 'joint_meeting') jointMeetings++;
    else if (a.kind === 'activity_day') activityDays++;
  }
  return { jointMeetings, activityDays };
}

/** A submission (quarter report, year-end review) as it waits for the committee's decision. */
export function submitted(by: number, now: string) {
  return {
    status: 'submitted' as SubmissionStatus,
    score: null,
    decisionComment: null,
    submittedBy: by,
    submittedAt: now,
    decidedBy: null,
    decidedAt: null,
  };
}

/** 报送季度报告: the report keeps whether the quarter met its two obligations, as judged under the lock. */
export const SUBMIT_QUARTER_REPORT: EventHandler<'SUBMIT_QUARTER_REPORT'> = {
  payload: QuarterReportEventDto,
  check: ({ records, payload }) => indicatorValueProblems(acceptedIndicators(records.plans), payload.indicatorValues ?? []),
  facts: ({ records, before }) => quarterCounts(records.activities, before.context.quarter ?? 0),
  write: async ({ m, repository, pairing, records, payload, actorId, now, facts, after }) => {
    const quarter = after.context.quarter!;
    const requirementsMet = quarterRequirementsMet(facts);
    const row = {
      ...submitted(actorId ?? 0, now),
      pairingId: pairing.id,
      quarter,
      summary: payload.summary,
      planProgress: payload.planProgress ?? null,
      shortfallReason: payload.shortfallReason ?? null,
      requirementsMet,
      indicatorValues: payload.indicatorValues ?? [],
    };
    const id = await repository.reports.insert(m, row);
    return {
      audit: { ...payload, quarter, requirementsMet, ...facts },
      records: { ...records, reports: [...records.reports, { id, ...row }] },
    };
  },
};

/** 季度评分: the committee scores the report that waits; the pairing moves to the next quarter or the review. */
export const SCORE_QUARTER: EventHandler<'SCORE_QUARTER'> = {
  payload: ScoreEventDto,
  write: async ({ m, repository, pairing, records, payload, comment, actorId, now }) => {
    const quarter = pairing.quarter!;
    const report = latest(records.reports, (r) => r.status === 'submitted');
    if (!report) return { audit: { ...payload, quarter } };
    const changes = { status: 'scored' as const, score: payload.score, decisionComment: comment, decidedBy: actorId ?? 0, decidedAt: now };
    await repository.reports.update(m, changes, '`id` = ?', [report.id]);
    return {
      audit: { ...payload, quarter },
      records: { ...records, reports: replaced(records.reports, report, { ...report, ...changes }) },
    };
  },
};

export const QUARTER_OVERDUE: EventHandler<'QUARTER_OVERDUE'> = { payload: QuarterOverdueEventDto };
