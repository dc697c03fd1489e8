import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsInt, IsOptional, Max, Min } from 'class-validator';
import { RequiredText, CourtIdQuery } from '../common/validators';

export class PublishPracticeDto {
  @ApiProperty({ description: 'A scored pairing of the court', example: 1 }) @IsInt() @Min(1) pairingId!: number;
  @RequiredText(200, 'Headline, as staff will read it', '诉源治理“三联”机制：家事纠纷诉前化解率提升11.16个百分点') title!: string;
  @RequiredText(20000, 'What was done and what it achieved, in plain paragraphs') summary!: string;
  @ApiPropertyOptional({ type: [Number], description: 'Photos (JPG, PNG) chosen from the pairing’s evidence' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(12)
  @IsInt({ each: true })
  attachmentIds?: number[];
}

export class WithdrawPracticeDto {
  @RequiredText(2000, 'Why it is withdrawn; kept in the audit trail', '共建单位撤并，经验不再适用') comment!: string;
}

/** Only plain decimal digits become a number. */
const wholeNumber = Transform(({ value }) => (typeof value === 'string' && /^\d{1,6}$/.test(value.trim()) ? Number(value) : value));

export class PracticesQuery {
  @CourtIdQuery()
  courtId?: string;

  @ApiPropertyOptional({ example: 2026, description: 'Only practices from pairings of this year' })
  @IsOptional()
  @wholeNumber
  @IsInt()
  @Min(2000)
  @Max(2100)
  year?: number;
}
