import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { Omittable, OmittableRequiredText, RequiredText } from '../common/validators';
import { Role, ROLES } from '../identity/user.entity';

export class CreateUserDto {
  @RequiredText(64, 'Sign-in name: letters, digits, dot, dash or underscore', 'zhangsan')
  @Matches(/^[A-Za-z0-9._-]+$/, { message: 'username may contain only letters, digits, dot, dash and underscore' })
  username!: string;

  @RequiredText(100, 'Name shown to others', '张三')
  displayName!: string;

  @ApiProperty({ description: 'At least 8 characters', minLength: 8, example: 'Demo@2026' })
  @IsString()
  @MinLength(8)
  @MaxLength(200)
  password!: string;

  @ApiProperty({ enum: ROLES, isArray: true, description: 'One or more roles' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(ROLES, { each: true })
  roles!: Role[];

  @ApiPropertyOptional({ description: 'Branch of a secretary or member', type: Number, nullable: true })
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @IsInt()
  branchId?: number | null;

  @ApiPropertyOptional({ description: 'The partner organisation a `partner` user speaks for', type: Number, nullable: true })
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @IsInt()
  partnerId?: number | null;

  @ApiPropertyOptional({ default: true })
  @Omittable()
  @IsBoolean()
  active?: boolean;
}

/** A change of a user: each field given follows creation's rules; null clears only what may be empty (branch, partner). */
export class UpdateUserDto {
  @OmittableRequiredText(100, 'Name shown to others')
  displayName?: string;

  @ApiPropertyOptional({ description: 'A new password, at least 8 characters', minLength: 8 })
  @Omittable()
  @IsString()
  @MinLength(8)
  @MaxLength(200)
  password?: string;

  @ApiPropertyOptional({ enum: ROLES, isArray: true })
  @Omittable()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(ROLES, { each: true })
  roles?: Role[];

  @ApiPropertyOptional({ type: Number, nullable: true })
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @IsInt()
  branchId?: number | null;

  @ApiPropertyOptional({ type: Number, nullable: true, description: 'The partner organisation of a `partner` user' })
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @IsInt()
  partnerId?: number | null;

  @ApiPropertyOptional({ description: 'false deactivates the user (users are never deleted)' })
  @Omittable()
  @IsBoolean()
  active?: boolean;
}
