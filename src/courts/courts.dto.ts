import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsString, Matches, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { OmittableRequiredText, RequiredText } from '../common/validators';

export class CreateCourtDto {
  @ApiProperty({
    description: '2–8 capital letters, unique; pairing codes and the court’s chain carry it, so it never changes',
    example: 'PH',
  })
  @IsString()
  @Matches(/^[A-Z]{2,8}$/, { message: 'code must be 2 to 8 capital letters' })
  code!: string;

  @RequiredText(100, 'Court name (unique)', '平湖市人民法院')
  name!: string;

  @ApiPropertyOptional({ type: Number, nullable: true, description: 'The court it reports to (上级法院)' })
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @IsInt()
  parentCourtId?: number | null;
}

export class UpdateCourtDto {
  @OmittableRequiredText(100, 'Court name (unique)')
  name?: string;
}

export class CreateCourtAdminDto {
  @RequiredText(64, 'Sign-in name: letters, digits, dot, dash or underscore', 'ph-admin')
  @Matches(/^[A-Za-z0-9._-]+$/, { message: 'username may contain only letters, digits, dot, dash and underscore' })
  username!: string;

  @RequiredText(100, 'Name shown to others', '平湖法院管理员')
  displayName!: string;

  @ApiProperty({ description: 'At least 8 characters', minLength: 8 })
  @IsString()
  @MinLength(8)
  @MaxLength(200)
  password!: string;
}
