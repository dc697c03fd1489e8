import { CourtIdQuery } from '../common/validators';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';

export const REPORT_YEAR_MIN = 2000;
export const REPORT_YEAR_MAX = 2100;
export const REPORT_FORMATS = ['json', 'xlsx'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** Only plain decimal digits become a number ("0x7E9", "2e3" or " " stay invalid). */
const wholeNumber = Transform(({ value }) => (typeof value === 'string' && /^\d{1,6}$/.test(value.trim()) ? Number(value) : value));

export class YearQuery {
  @CourtIdQuery()
  courtId?: string;

  @ApiProperty({ example: 2026, minimum: REPORT_YEAR_MIN, maximum: REPORT_YEAR_MAX })
  @wholeNumber
  @IsInt()
  @Min(REPORT_YEAR_MIN)
  @Max(REPORT_YEAR_MAX)
  year!: number;
}

export class RankingQuery extends YearQuery {
  @ApiPropertyOptional({ enum: REPORT_FORMATS, default: 'json' })
  @IsOptional()
  @IsIn(REPORT_FORMATS)
  format?: ReportFormat;
}

export class BulletinQuery extends RankingQuery {
  @ApiProperty({ example: 2, minimum: 1, maximum: 4 })
  @wholeNumber
  @IsInt()
  @Min(1)
  @Max(4)
  quarter!: number;
}

export class CourtsReportQuery extends RankingQuery {
  @ApiPropertyOptional({ description: 'One quarter of the year (1–4); without it, the whole year', minimum: 1, maximum: 4 })
  @IsOptional()
  @wholeNumber
  @IsInt()
  @Min(1)
  @Max(4)
  quarter?: number;
}
