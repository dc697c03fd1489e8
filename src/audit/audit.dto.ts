import { CourtIdQuery, PageQuery } from '../common/validators';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBase64,
  IsDefined,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  ValidateNested,
} from 'class-validator';
import { CHECKPOINT_ALGORITHM, CHECKPOINT_FORMAT } from './checkpoint';

const MAX_INT = 2_147_483_647;
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

/** An ISO 8601 instant with a time zone (Z or ±hh:mm) on a real calendar day: comparable with the stored `at` once normalised. */
export function isIsoInstant(value: unknown): value is string {
  const match = typeof value === 'string' ? INSTANT.exec(value) : null;
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    !Number.isNaN(Date.parse(value as string))
  );
}

const IsIsoInstant = () =>
  ValidateBy({
    name: 'isIsoInstant',
    validator: {
      validate: (value) => isIsoInstant(value),
      defaultMessage: () =>
        '$property must be an ISO 8601 instant with a time zone, e.g. 2026-01-01T00:00:00.000Z or 2026-01-01T08:00:00+08:00',
    },
  });

export class VerifyQueryDto {
  @CourtIdQuery()
  courtId?: string;

  @ApiPropertyOptional({ description: 'Verify only the chain of this pairing (pairing:<id>)', example: 12 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_INT)
  pairingId?: number;

  @ApiPropertyOptional({ description: 'Verify only this chain, e.g. system or pairing:12', maxLength: 64 })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  chain?: string;
}

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar date YYYY-MM-DD that exists (no 30 February). */
export function isLocalDate(value: unknown): value is string {
  const match = typeof value === 'string' ? LOCAL_DATE.exec(value) : null;
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

const IsDateOrInstant = () =>
  ValidateBy({
    name: 'isDateOrInstant',
    validator: {
      validate: (value) => isLocalDate(value) || isIsoInstant(value),
      defaultMessage: () =>
        '$property must be a date YYYY-MM-DD (a day in the court’s time zone) or an ISO 8601 instant with a time zone, e.g. 2026-01-01T08:00:00+08:00',
    },
  });

export const PAIRING_CODE = /^[A-Z]{2,8}-\d{4}-\d{1,6}$/;

/** What to look for in the audit trail; every filter narrows the result. */
export class AuditFilterDto extends VerifyQueryDto {
  @ApiPropertyOptional({ description: 'Only the chain of the pairing with this code', example: 'GJ-2026-004' })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toUpperCase() : value))
  @IsString()
  @Matches(PAIRING_CODE, { message: '$property must be a pairing code such as GJ-2026-004' })
  code?: string;

  @ApiPropertyOptional({ description: 'Only events by this actor (a user id, as in actorId)', maxLength: 64, example: '3' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  actorId?: string;

  @ApiPropertyOptional({
    description: 'Only events by users with this username, or whose name contains this',
    maxLength: 64,
    example: '李立案',
  })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @IsNotEmpty({ message: '$property must not be blank' })
  @MaxLength(64)
  actor?: string;

  @ApiPropertyOptional({
    description: 'Only events of this type: its code (APPROVE, LOGIN_FAILED) or its label (批准, 登录失败)',
    maxLength: 40,
    example: 'LOGIN_FAILED',
  })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @IsNotEmpty({ message: '$property must not be blank' })
  @MaxLength(40)
  type?: string;

  @ApiPropertyOptional({
    description: 'Only events at or after this: a date YYYY-MM-DD (from the start of that day in APP_TIMEZONE) or an ISO instant',
    example: '2026-01-01',
  })
  @IsOptional()
  @IsDateOrInstant()
  from?: string;

  @ApiPropertyOptional({
    description: 'Only events at or before this: a date YYYY-MM-DD (to the end of that day in APP_TIMEZONE, inclusive) or an ISO instant',
    example: '2026-12-31',
  })
  @IsOptional()
  @IsDateOrInstant()
  to?: string;
}

export class AuditEventsQueryDto extends AuditFilterDto {
  @PageQuery()
  page?: number;

  @ApiPropertyOptional({ description: 'Events per page (at most 200)', default: 50, minimum: 1, maximum: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  pageSize?: number;
}

export const EXPORT_FORMATS = ['csv', 'jsonl'] as const;

export class ExportQueryDto extends AuditFilterDto {
  @ApiPropertyOptional({
    description:
      'csv: for people (Chinese columns, names, labels, local times; UTF-8 with BOM, safe to open in Excel); jsonl: one event per line exactly as hashed, for machines',
    enum: EXPORT_FORMATS,
    default: 'csv',
  })
  @IsOptional()
  @IsIn(EXPORT_FORMATS)
  format?: (typeof EXPORT_FORMATS)[number];
}

export class CheckpointChainDto {
  @ApiProperty({ description: 'Chain name', example: 'pairing:12', maxLength: 64 })
  @IsString()
  @MaxLength(64)
  chain!: string;

  @ApiProperty({ description: 'The seq of the chain’s last event when the checkpoint was taken', minimum: 1 })
  @IsInt()
  @Min(1)
  @Max(MAX_INT)
  seq!: number;

  @ApiProperty({ description: 'The hash of that event (64 hex digits)' })
  @IsString()
  @Matches(/^[0-9a-f]{64}$/, { message: '$property must be 64 lowercase hex digits' })
  hash!: string;
}

export class CheckpointDto {
  @ApiProperty({ enum: [CHECKPOINT_FORMAT], description: 'Which kind of checkpoint this is' })
  @IsIn([CHECKPOINT_FORMAT], {
    message: `$property must be ${CHECKPOINT_FORMAT}; a checkpoint taken by an earlier version cannot be checked, take a new one`,
  })
  format!: typeof CHECKPOINT_FORMAT;

  @ApiProperty({ description: 'When the checkpoint was taken (ISO 8601 UTC)' })
  @IsIsoInstant()
  at!: string;

  @ApiProperty({ type: [CheckpointChainDto], description: 'The head of every chain at that time' })
  @IsArray()
  @ArrayMaxSize(200_000)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => CheckpointChainDto)
  chains!: CheckpointChainDto[];

  @ApiProperty({ description: 'How many heads `chains` lists' })
  @IsInt()
  @Min(0)
  count!: number;

  @ApiProperty({ description: 'sha256 (hex) of the heads: each head’s canonical JSON and a line feed, in the order listed' })
  @IsString()
  @Matches(/^[0-9a-f]{64}$/, { message: '$property must be 64 lowercase hex digits' })
  headsSha256!: string;

  @ApiProperty({ description: 'Ed25519 signature (base64) over canonical JSON of {at, count, format, headsSha256}' })
  @IsString()
  @MaxLength(200)
  @IsBase64()
  signature!: string;

  @ApiPropertyOptional({
    description: 'The public key (SPKI PEM) the checkpoint was served with; not trusted: the server checks with its own key',
  })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  publicKey?: string;

  @ApiPropertyOptional({ enum: [CHECKPOINT_ALGORITHM] })
  @IsOptional()
  @IsIn([CHECKPOINT_ALGORITHM])
  algorithm?: typeof CHECKPOINT_ALGORITHM;
}

export class VerifyCheckpointDto {
  @ApiProperty({ type: CheckpointDto, description: 'A checkpoint exactly as GET /api/audit/checkpoint returned it' })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => CheckpointDto)
  checkpoint!: CheckpointDto;
}
