import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

const trim = Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));

/** A required, trimmed, non-blank string of bounded length. */
export const RequiredText = (maxLength: number, description: string, example?: string) =>
  applyDecorators(
    ApiProperty({ description, example, maxLength }),
    trim,
    IsString(),
    IsNotEmpty({ message: '$property must not be blank' }),
    MaxLength(maxLength),
  );

/** An optional trimmed string of bounded length. */
export const OptionalText = (maxLength: number, description: string, example?: string) =>
  applyDecorators(ApiPropertyOptional({ description, example, maxLength }), IsOptional(), trim, IsString(), MaxLength(maxLength));
