import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsNumber, IsOptional, ValidateNested } from 'class-validator';
import { outcomeProblems, type ReviewOutcome, type ReviewPayload } from '../../../workflows';
import { RequiredText } from '../../common/validators';
import { EventHandler, EventWithOptionalComment, latest, replaced } from './event-handler';
import { acceptedIndicators } from './plan';
import { ScoreEventDto, submitted } from './quarter';

export class ReviewOutcomeDto implements ReviewOutcome {
  @RequiredText(200, 'Indicator: one the accepted plan declared, when it declared any', '家事纠纷诉前化解率') indicator!: string;
  @ApiProperty({ example: 59.26 }) @IsNumber({ allowNaN: false, allowInfinity: false }) value!: number;
  @RequiredText(20, 'Unit', '%') unit!: string;
  @ApiPropertyOptional({ example: 48.1 }) @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) baseline?: number;
}

export class ReviewEventDto extends EventWithOptionalComment implements ReviewPayload {
  @RequiredText(10000, '年终述职') summary!: string;
  @ApiProperty() @IsBoolean() problemSolved!: boolean;
  @RequiredText(5000, 'How the practical problem was (or was not) solved') problemResolution!: string;
  @ApiProperty({ type: [ReviewOutcomeDto] })
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => ReviewOutcomeDto)
  outcomes!: ReviewOutcomeDto[];
}

/** 年终述职 */
export const SUBMIT_REVIEW: EventHandler<'SUBMIT_REVIEW'> = {
  payload: ReviewEventDto,
  check: ({ records, payload }) => outcomeProblems(acceptedIndicators(records.plans), payload.outcomes),
  write: async ({ m, repository, pairing, records, payload, actorId, now }) => {
    const row = {
      ...submitted(actorId ?? 0, now),
      pairingId: pairing.id,
      summary: payload.summary,
      problemSolved: payload.problemSolved,
      problemResolution: payload.problemResolution,
      outcomes: payload.outcomes,
    };
    const id = await repository.reviews.insert(m, row);
    return { audit: payload, records: { ...records, reviews: [...records.reviews, { id, ...row }] } };
  },
};

/** 述职评分: the review's score, and the final score the machine computed from it. */
export const APPROVE_REVIEW: EventHandler<'APPROVE_REVIEW'> = {
  payload: ScoreEventDto,
  write: async ({ m, repository, records, payload, comment, actorId, now, after }) => {
    const audit = { ...payload, finalScore: after.context.finalScore, quarterScores: after.context.quarterScores };
    const review = latest(records.reviews, (r) => r.status === 'submitted');
    if (!review) return { audit };
    const changes = {
      status: 'approved' as const,
      score: payload.score,
      decisionComment: comment,
      decidedBy: actorId ?? 0,
      decidedAt: now,
    };
    await repository.reviews.update(m, changes, '`id` = ?', [review.id]);
    return { audit, records: { ...records, reviews: replaced(records.reviews, review, { ...review, ...changes }) } };
  },
};
