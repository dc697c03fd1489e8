import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsInt, IsOptional, Max, Min, ValidateNested } from 'class-validator';
import { planIndicatorProblems, type PlanIndicator, type PlanItem, type PlanPayload } from '../../../workflows';
import { OptionalText, RequiredText } from '../../common/validators';
import type { Plan } from '../records.entity';
import { IsCalendarDate } from '../date.validators';
import { EventHandler, EventWithOptionalComment, FiniteNumber, latest, replaced } from './event-handler';

export class PlanItemDto implements PlanItem {
  @RequiredText(200, 'What is to be done', '联合开展诉源治理大调研') title!: string;
  @ApiProperty({ minimum: 1, maximum: 4 }) @IsInt() @Min(1) @Max(4) quarter!: number;
  @ApiProperty({ example: '2026-03-31' }) @IsCalendarDate() dueDate!: string;
  @RequiredText(100, 'Who is responsible', '李立案') owner!: string;
  @OptionalText(500, 'What it produces') deliverable?: string;
}

export class PlanIndicatorDto implements PlanIndicator {
  @RequiredText(100, 'Indicator, named as later reports will name it', '家事纠纷诉前化解率') name!: string;
  @RequiredText(20, 'Unit', '%') unit!: string;
  @FiniteNumber('Where it stood when the plan was filed', 48.1) baseline!: number;
  @FiniteNumber('Where the year should take it', 58, true) target?: number;
  @ApiProperty({ description: 'true when a higher value is better (a rate), false when lower is (days)' })
  @IsBoolean()
  higherIsBetter!: boolean;
}

export class PlanEventDto extends EventWithOptionalComment implements PlanPayload {
  @ApiProperty({ minimum: 1, maximum: 4, description: 'The first quarter the plan covers' }) @IsInt() @Min(1) @Max(4) startQuarter!: number;
  @ApiProperty({ type: [PlanItemDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => PlanItemDto)
  items!: PlanItemDto[];

  @ApiPropertyOptional({ type: [PlanIndicatorDto], description: 'Outcome indicators (成效指标), names unique within the plan' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => PlanIndicatorDto)
  indicators?: PlanIndicatorDto[];
}

/** The indicators of the plan the committee accepted; none before one is accepted, or when it declared none. */
export function acceptedIndicators(plans: readonly Plan[]): PlanIndicator[] {
  return latest(plans, (p) => p.status === 'accepted')?.indicators ?? [];
}

/** 报送年度计划: each filing is kept; the newest one not returned is the plan. */
export const FILE_PLAN: EventHandler<'FILE_PLAN'> = {
  payload: PlanEventDto,
  check: ({ payload }) => planIndicatorProblems(payload.indicators ?? []),
  write: async ({ m, repository, pairing, records, payload, actorId, now }) => {
    const row = {
      pairingId: pairing.id,
      startQuarter: payload.startQuarter,
      items: payload.items,
      indicators: payload.indicators ?? [],
      status: 'filed' as const,
      createdBy: actorId ?? 0,
      createdAt: now,
    };
    const id = await repository.plans.insert(m, row);
    return { audit: payload, records: { ...records, plans: [...records.plans, { id, ...row }] } };
  },
};

/** 计划备案: the filed plan is accepted and the pairing enters its first quarter. */
export const ACCEPT_PLAN: EventHandler<'ACCEPT_PLAN'> = {
  payload: EventWithOptionalComment,
  write: async ({ m, repository, records, payload }) => {
    const plan = latest(records.plans, (p) => p.status === 'filed');
    if (!plan) return { audit: payload };
    await repository.plans.update(m, { status: 'accepted' }, '`id` = ?', [plan.id]);
    return { audit: payload, records: { ...records, plans: replaced(records.plans, plan, { ...plan, status: 'accepted' }) } };
  },
};
