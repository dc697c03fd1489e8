import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { ValidationFailedError } from './errors';

/** Checks of a value's kind: when one fails, the field's other checks (its range, its length) say nothing useful. */
const KIND_CHECKS = new Set(['isString', 'isNumber', 'isInt', 'isBoolean', 'isArray', 'isObject', 'isDateString']);

/** What a field's failed checks say: that it is of the wrong kind, if it is; else every check it failed. */
function messagesOf(constraints: Record<string, string>): string[] {
  const kind = Object.entries(constraints).filter(([name]) => KIND_CHECKS.has(name));
  return (kind.length ? kind : Object.entries(constraints)).map(([, message]) => message);
}

/**
 * Each failed field with what its checks say. A field left out that had to be given is told only that: "title is
 * required", not that it must be a string (every check of a value fails on a value that is not there). A field that
 * may be left out never fails for being left out (IsOptional, Omittable), so a failure on one left out is always this.
 */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): { field: string; messages: string[] }[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const missing = error.value === undefined && !error.constraints?.whitelistValidation;
    const own = error.constraints ? [{ field, messages: missing ? [`${error.property} is required`] : messagesOf(error.constraints) }] : [];
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

/** Keys of a JSON body that name an object's machinery rather than a field. */
const MACHINERY_KEYS = ['__proto__', 'constructor', 'prototype'];

type FieldProblem = { field: string; messages: string[] };

/**
 * The keys of a body, at any depth, that name an object's machinery, in the whitelist's words and with the path
 * class-validator gives a nested field (`items.0.constructor`): class-transformer would drop them without a word, and
 * the request would pass as if they had not been sent. The body is at most MAX_BODY_DEPTH deep (refuseDeepBodies).
 */
export function machineryKeyProblems(body: object, parent = ''): FieldProblem[] {
  return Object.entries(body).flatMap(([key, value]: [string, unknown]) => {
    const field = parent ? `${parent}.${key}` : key;
    if (MACHINERY_KEYS.includes(key)) return [{ field, messages: [`property ${key} should not exist`] }];
    return value !== null && typeof value === 'object' ? machineryKeyProblems(value, field) : [];
  });
}

/**
 * The problems validation found, and after them the body's machinery keys (machineryKeyProblems) that none of them
 * covers already: the whitelist reports those class-transformer keeps (`prototype`), and a field refused whole (an
 * unknown `foo`) says all there is to say of what it holds.
 */
export function withMachineryProblems(found: FieldProblem[], machinery: FieldProblem[]): FieldProblem[] {
  const covered = (field: string) => found.some((problem) => field === problem.field || field.startsWith(`${problem.field}.`));
  return [...found, ...machinery.filter((problem) => !covered(problem.field))];
}

/**
 * Route parameters stay as the path wrote them: each is read by its own pipe (IdPipe), which refuses `07` or
 * `7e0`; converted here first, as a global pipe runs before a parameter's own, they would arrive as 7.
 */
class AppValidationPipe extends ValidationPipe {
  /** A body's keys that name an object's machinery, at any depth, are unknown fields like any other. */
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const body = metadata.type === 'body' && this.toValidate(metadata) && value !== null && typeof value === 'object' ? value : null;
    // Read before the pipe's own transform, which deletes `__proto__` keys from the body.
    const machinery = body ? machineryKeyProblems(body) : [];
    if (!machinery.length) return super.transform(value, metadata);
    let found: FieldProblem[] = [];
    try {
      await super.transform(value, metadata);
    } catch (error) {
      // Refused either way: what else validation finds is said beside them; a body it cannot even read is refused for them.
      if (error instanceof ValidationFailedError) found = error.details as FieldProblem[];
    }
    throw new ValidationFailedError(withMachineryProblems(found, machinery));
  }

  protected override transformPrimitive(value: unknown, metadata: ArgumentMetadata): unknown {
    return metadata.type === 'param' ? value : super.transformPrimitive(value, metadata);
  }
}

/** The one validation pipe: unknown fields are refused, and failures come out in our error shape. */
export function createValidationPipe(): ValidationPipe {
  return new AppValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    // The value stays on each error, to tell a field left out (flattenValidationErrors); it is not sent back.
    validationError: { target: false, value: true },
    exceptionFactory: (errors) => new ValidationFailedError(flattenValidationErrors(errors)),
  });
}
