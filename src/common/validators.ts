import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateBy, ValidateIf } from 'class-validator';

const trim = Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));

/**
 * A field a change may leave out but not send as null: unlike IsOptional, null goes on to the field's own
 * validators and is refused there (400), instead of reaching a column that cannot hold it (500).
 */
export const Omittable = () => ValidateIf((_, value) => value !== undefined);

/** How a text field may be absent: never (required), left out or null (optional), left out only (omittable). */
type Presence = 'required' | 'optional' | 'omittable';

/**
 * Control characters other than tab, line feed and carriage return: nobody types them, a printed or exported
 * record cannot show them, and XML (the dossier's summary.docx) cannot hold most of them.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is its purpose
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** Refuses a string holding a control character; says nothing of other values (IsString speaks for them). */
const NoControlCharacters = () =>
  ValidateBy(
    { name: 'noControlCharacters', validator: { validate: (value) => typeof value !== 'string' || !CONTROL_CHARACTERS.test(value) } },
    { message: '$property must not contain control characters' },
  );

/**
 * Half of a character: a UTF-16 surrogate without its pair (JSON can write one as "\ud800"). No database column can
 * hold it, so the row would keep U+FFFD instead, and a comment so changed no longer matches the audit hash taken of it.
 */
const UNPAIRED_SURROGATE = /\p{Cs}/u;

/** Refuses a string holding half of a character; says nothing of other values. */
const WholeCharacters = () =>
  ValidateBy(
    { name: 'wholeCharacters', validator: { validate: (value) => typeof value !== 'string' || !UNPAIRED_SURROGATE.test(value) } },
    { message: '$property must not contain a broken character (half of an emoji or a rare character)' },
  );

/**
 * A trimmed string of bounded length, free of control characters and broken characters; `blank` says whether a given one may be empty
 * once trimmed.
 */
function text(presence: Presence, blank: boolean, maxLength: number, description: string, example?: string) {
  const doc = { description, example, maxLength };
  return applyDecorators(
    ...(presence === 'required' ? [ApiProperty(doc)] : [ApiPropertyOptional(doc), presence === 'optional' ? IsOptional() : Omittable()]),
    trim,
    IsString(),
    NoControlCharacters(),
    WholeCharacters(),
    ...(blank ? [] : [IsNotEmpty({ message: '$property must not be blank' })]),
    MaxLength(maxLength),
  );
}

/** A required, trimmed, non-blank string of bounded length. */
export const RequiredText = (maxLength: number, description: string, example?: string) =>
  text('required', false, maxLength, description, example);

/** An optional trimmed string of bounded length. */
export const OptionalText = (maxLength: number, description: string, example?: string) =>
  text('optional', true, maxLength, description, example);

/** RequiredText for a field a change may leave out: when given, it may be neither null nor blank. */
export const OmittableRequiredText = (maxLength: number, description: string, example?: string) =>
  text('omittable', false, maxLength, description, example);

/** OptionalText for a field a change may leave out but not clear with null. */
export const OmittableText = (maxLength: number, description: string, example?: string) =>
  text('omittable', true, maxLength, description, example);

/**
 * `courtId=<id>|all` on the routes a supervisor reads across courts (§11). The auth guard resolves it into the
 * request's court scope; declared here so it is validated and documented like every other parameter.
 */
export const CourtIdQuery = () =>
  applyDecorators(
    ApiPropertyOptional({
      description: 'A supervisor: one court below theirs, or `all` for their own and every court below it (default: own court)',
      example: 'all',
    }),
    IsOptional(),
    Matches(/^(all|[1-9]\d{0,8})$/, { message: 'courtId must be a court id or all' }),
  );

/** The furthest page a list may be asked for: far beyond any list's end, and an offset every database takes. */
export const MAX_PAGE = 1_000_000;

/**
 * `page=` of a paged list, from 1. Bounded, so the offset it makes stays a whole number the database takes (a page
 * of 10^23 made an offset SQLite refused, a 500).
 */
export const PageQuery = () =>
  applyDecorators(
    ApiPropertyOptional({ description: 'Page number, from 1', default: 1, minimum: 1, maximum: MAX_PAGE }),
    IsOptional(),
    Type(() => Number),
    IsInt(),
    Min(1),
    Max(MAX_PAGE),
  );
