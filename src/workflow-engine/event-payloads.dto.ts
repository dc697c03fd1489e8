import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { ACTIVITY_KINDS, ActivityKind, PairingEventType } from '../../workflows';
import { IsCalendarDate } from './date.validators';
import { OptionalText, RequiredText } from '../common/validators';

const ScoreField = () => (target: object, key: string) => {
  ApiProperty({ minimum: 0, maximum: 100, description: 'Score 0–100 with at most one decimal', example: 92.5 })(target, key);
  IsNumber({ maxDecimalPlaces: 1, allowNaN: false, allowInfinity: false }, { message: 'score must be a number with at most one decimal' })(
    target,
    key,
  );
  Min(0)(target, key);
  Max(100)(target, key);
};

const AttachmentIds = () => (target: object, key: string) => {
  ApiPropertyOptional({ type: [Number], description: 'Ids returned by POST /api/attachments' })(target, key);
  IsOptional()(target, key);
  IsArray()(target, key);
  ArrayMaxSize(50)(target, key);
  IsInt({ each: true })(target, key);
};

export class EventWithOptionalComment {
  @OptionalText(2000, 'A comment kept in the history')
  comment?: string;
}

export class EventWithRequiredComment {
  @RequiredText(2000, 'Why: required, shown to the other side and kept in the history', '请补充结对主题与实际问题的对应关系')
  comment!: string;
}

export class AgreementEventDto extends EventWithOptionalComment {
  @ApiProperty({ example: '2026-01-10' }) @IsCalendarDate() signedOn!: string;
  @ApiProperty({ example: '2026-01-01' }) @IsCalendarDate() validFrom!: string;
  @ApiProperty({ example: '2026-12-31' }) @IsCalendarDate() validTo!: string;
  @RequiredText(5000, '共建目标') goals!: string;
  @RequiredText(10000, '共建内容') content!: string;
  @RequiredText(5000, '共建要求') requirements!: string;
  @AttachmentIds() attachmentIds?: number[];
}

export class PlanItemDto {
  @RequiredText(200, 'What is to be done', '联合开展诉源治理大调研') title!: string;
  @ApiProperty({ minimum: 1, maximum: 4 }) @IsInt() @Min(1) @Max(4) quarter!: number;
  @ApiProperty({ example: '2026-03-31' }) @IsCalendarDate() dueDate!: string;
  @RequiredText(100, 'Who is responsible', '李立案') owner!: string;
  @OptionalText(500, 'What it produces') deliverable?: string;
}

export class PlanEventDto extends EventWithOptionalComment {
  @ApiProperty({ minimum: 1, maximum: 4, description: 'The first quarter the plan covers' }) @IsInt() @Min(1) @Max(4) startQuarter!: number;
  @ApiProperty({ type: [PlanItemDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => PlanItemDto)
  items!: PlanItemDto[];
}

export class ActivityEventDto extends EventWithOptionalComment {
  @ApiProperty({ enum: ACTIVITY_KINDS }) @IsIn(ACTIVITY_KINDS) kind!: ActivityKind;
  @ApiProperty({ example: '2026-04-18' }) @IsCalendarDate() heldOn!: string;
  @RequiredText(200, 'Title of the activity', '基层诉源治理大调研联席会议') title!: string;
  @OptionalText(200, 'Where it was held') location?: string;
  @ApiProperty({ minimum: 1 }) @IsInt() @Min(1) @Max(100000) participants!: number;
  @ApiProperty({ minimum: 0 }) @IsInt() @Min(0) @Max(100000) partnerParticipants!: number;
  @RequiredText(10000, 'What was done (活动记录)') summary!: string;
  @AttachmentIds() attachmentIds?: number[];
}

export class VoidActivityEventDto extends EventWithRequiredComment {
  @ApiProperty({ description: 'The activity to void' }) @IsInt() activityId!: number;
}

export class QuarterReportEventDto extends EventWithOptionalComment {
  @RequiredText(10000, 'How the quarter went') summary!: string;
  @OptionalText(5000, 'Progress against the plan') planProgress?: string;
  @OptionalText(5000, 'Required when the quarter lacks a joint meeting or an activity day') shortfallReason?: string;
}

export class ScoreEventDto extends EventWithOptionalComment {
  @ScoreField() score!: number;
}

export class ReviewOutcomeDto {
  @RequiredText(200, 'Indicator', '家事纠纷诉前化解率') indicator!: string;
  @ApiProperty({ example: 59.26 }) @IsNumber({ allowNaN: false, allowInfinity: false }) value!: number;
  @RequiredText(20, 'Unit', '%') unit!: string;
  @ApiPropertyOptional({ example: 48.1 }) @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) baseline?: number;
}

export class ReviewEventDto extends EventWithOptionalComment {
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

export class PartnerLiaisonDto {
  @ApiProperty() @IsInt() partnerId!: number;
  @RequiredText(50, 'Liaison name', '张联络') name!: string;
  @RequiredText(30, 'Phone', '0573-85000000') phone!: string;
}

export class LiaisonsEventDto extends EventWithOptionalComment {
  @ApiPropertyOptional({ type: Number, nullable: true, description: 'A user of the lead branch' })
  @ValidateIf((_, v) => v !== null && v !== undefined)
  @IsInt()
  liaisonUserId?: number | null;

  @ApiPropertyOptional({ type: [PartnerLiaisonDto], description: 'Replaces the whole list' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => PartnerLiaisonDto)
  partnerLiaisons?: PartnerLiaisonDto[];
}

export class QuarterOverdueEventDto {
  @ApiProperty({ minimum: 1, maximum: 4 }) @IsInt() @Min(1) @Max(4) quarter!: number;
}

/** The payload class of each event type; payload fields sit at the top level beside `type` and `comment`. */
export const EVENT_PAYLOADS: Record<PairingEventType, new () => object> = {
  SUBMIT: EventWithOptionalComment,
  RECALL: EventWithOptionalComment,
  WITHDRAW: EventWithOptionalComment,
  APPROVE: EventWithOptionalComment,
  RETURN: EventWithRequiredComment,
  REJECT: EventWithRequiredComment,
  SIGN_AGREEMENT: AgreementEventDto,
  FILE_PLAN: PlanEventDto,
  ACCEPT_PLAN: EventWithOptionalComment,
  RECORD_ACTIVITY: ActivityEventDto,
  VOID_ACTIVITY: VoidActivityEventDto,
  SUBMIT_QUARTER_REPORT: QuarterReportEventDto,
  SCORE_QUARTER: ScoreEventDto,
  SUBMIT_REVIEW: ReviewEventDto,
  APPROVE_REVIEW: ScoreEventDto,
  TERMINATE: EventWithRequiredComment,
  URGE: EventWithOptionalComment,
  UPDATE_LIAISONS: LiaisonsEventDto,
  QUARTER_OVERDUE: QuarterOverdueEventDto,
};
