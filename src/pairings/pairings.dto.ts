import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsArray, IsIn, IsInt, IsOptional, Max, Min, ValidateIf, ValidateNested } from 'class-validator';
import { PAIRING_STATES } from '../../workflows';
import { Omittable, OmittableRequiredText, OmittableText, OptionalText, PageQuery, RequiredText, CourtIdQuery } from '../common/validators';
import { OneLiaisonPerPartner, PartnerLiaisonDto } from '../workflow-engine/events';
import { PAIRING_CATEGORIES, PairingCategory } from '../workflow-engine/pairing.entity';

/**
 * The proposal's fields, shared by creation and PATCH. `absent` says how a field may be left out: a new draft
 * takes null as "none yet", while a PATCH may omit a field but not null one whose column holds a list.
 */
function pairingFields(absent: () => PropertyDecorator) {
  class PairingFieldsDto {
    @ApiPropertyOptional({ type: [Number], description: 'Partner organisations (≥1 to submit)' })
    @absent()
    @IsArray()
    @ArrayUnique()
    @ArrayMaxSize(20)
    @IsInt({ each: true })
    partnerIds?: number[];

    @ApiPropertyOptional({
      enum: PAIRING_CATEGORIES,
      isArray: true,
      description: '结对内容: organization, activity, member, project (≥1 to submit)',
    })
    @absent()
    @IsArray()
    @ArrayUnique()
    @IsIn(PAIRING_CATEGORIES, { each: true })
    categories?: PairingCategory[];

    @ApiPropertyOptional({ type: [Number], description: 'Other court branches joining (联合结对)' })
    @absent()
    @IsArray()
    @ArrayUnique()
    @ArrayMaxSize(10)
    @IsInt({ each: true })
    coBranchIds?: number[];

    @ApiPropertyOptional({ type: Number, nullable: true, description: 'The lead branch’s liaison (联络员), a user of that branch' })
    @ValidateIf((_, v) => v !== null && v !== undefined)
    @IsInt()
    liaisonUserId?: number | null;

    @ApiPropertyOptional({ type: [PartnerLiaisonDto], description: 'Each partner’s liaison (one per partner)' })
    @absent()
    @IsArray()
    @OneLiaisonPerPartner()
    @ArrayMaxSize(20)
    @ValidateNested({ each: true })
    @Type(() => PartnerLiaisonDto)
    partnerLiaisons?: PartnerLiaisonDto[];

    @OptionalText(5000, '共建目标')
    goals?: string;
  }
  return PairingFieldsDto;
}

export class CreatePairingDto extends pairingFields(IsOptional) {
  @ApiProperty({ example: 2026, description: 'Within five years back and one ahead' })
  @IsInt()
  year!: number;

  @RequiredText(200, 'Title', '立案庭—社会治理中心 基层诉源治理结对')
  title!: string;

  @OptionalText(1000, '结对主题 (required to submit)', '基层诉源治理大调研')
  theme?: string;

  @OptionalText(5000, 'The one practical problem to solve (实际问题; required to submit)')
  problem?: string;

  @ApiPropertyOptional({ type: Number, description: 'Committee only: the branch a directed pairing is for' })
  @IsOptional()
  @IsInt()
  leadBranchId?: number;
}

/** A change of the proposal: the same rules as creation for each field given (a title stays non-blank). */
export class UpdatePairingDto extends pairingFields(Omittable) {
  @OmittableRequiredText(200, 'Title')
  title?: string;

  @OmittableText(1000, '结对主题')
  theme?: string;

  @OmittableText(5000, '实际问题')
  problem?: string;
}

export class ListPairingsQuery {
  @CourtIdQuery()
  courtId?: string;

  @ApiPropertyOptional({ enum: [...PAIRING_STATES, 'active'] })
  @IsOptional()
  @IsIn([...PAIRING_STATES, 'active'])
  state?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  year?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  branchId?: number;

  @OptionalText(100, 'Search in code and title')
  q?: string;

  @PageQuery()
  page?: number;

  @ApiPropertyOptional({ default: 20, maximum: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  pageSize?: number;
}
