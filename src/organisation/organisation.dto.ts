import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, ValidateIf } from 'class-validator';
import { ApiProperty } from '@nestjs/swagger';
import { Omittable, OmittableRequiredText, OptionalText, RequiredText } from '../common/validators';
import { PARTNER_KINDS, PartnerKind } from './partner.entity';

export class CreateBranchDto {
  @RequiredText(100, 'Branch name (unique)', '立案庭党支部')
  name!: string;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    description: 'The branch secretary: an active user with the secretary role who belongs to this branch (so none yet for a new branch)',
  })
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @IsInt()
  secretaryUserId?: number | null;
}

export class UpdateBranchDto {
  @OmittableRequiredText(100, 'Branch name (unique)')
  name?: string;

  @ApiPropertyOptional({ type: Number, nullable: true, description: 'An active secretary of this branch, or null' })
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @IsInt()
  secretaryUserId?: number | null;

  @ApiPropertyOptional({ description: 'false deactivates the branch: its pairings keep it, new ones cannot choose it' })
  @Omittable()
  @IsBoolean()
  active?: boolean;
}

export class CreatePartnerDto {
  @RequiredText(100, 'Partner organisation name (unique)', '平湖市教育局机关党支部')
  name!: string;

  @ApiProperty({ enum: PARTNER_KINDS })
  @IsIn(PARTNER_KINDS)
  kind!: PartnerKind;

  @OptionalText(200, 'Contact person or phone')
  contact?: string;
}

export class UpdatePartnerDto {
  @OmittableRequiredText(100, 'Partner organisation name (unique)')
  name?: string;

  @ApiPropertyOptional({ enum: PARTNER_KINDS })
  @Omittable()
  @IsIn(PARTNER_KINDS)
  kind?: PartnerKind;

  @OptionalText(200, 'Contact person or phone')
  contact?: string;

  @ApiPropertyOptional({ description: 'false deactivates the partner: its pairings keep it, new ones cannot choose it' })
  @Omittable()
  @IsBoolean()
  active?: boolean;
}
