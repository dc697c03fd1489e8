import type { NextFunction, Request, Response } from 'express';
import { ValidationFailedError } from './errors';

/**
 * How deep a JSON body may nest objects and lists. The deepest the API takes is four (a plan's items and their
 * fields); class-transformer and class-validator walk a body by recursion, and some thousands of levels would
 * exhaust the stack (a 500) before any rule is asked.
 */
export const MAX_BODY_DEPTH = 32;

/** True when `value` nests objects or lists more than `max` deep; walked with a stack of its own, never recursively. */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const pending: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  while (pending.length) {
    const next = pending.pop()!;
    if (next.value === null || typeof next.value !== 'object') continue;
    if (next.depth === max) return true;
    for (const child of Object.values(next.value)) {
      if (child !== null && typeof child === 'object') pending.push({ value: child, depth: next.depth + 1 });
    }
  }
  return false;
}

/** After the JSON parser: a body nested deeper than MAX_BODY_DEPTH is refused as a field error, before anything reads it. */
export function refuseDeepBodies() {
  return (req: Request, _res: Response, next: NextFunction) => {
    if (req.body !== null && typeof req.body === 'object' && nestsDeeperThan(req.body, MAX_BODY_DEPTH)) {
      return next(
        new ValidationFailedError(
          [{ field: 'body', messages: [`the body nests objects and lists more than ${MAX_BODY_DEPTH} deep`] }],
          'The request body nests too deeply.',
        ),
      );
    }
    next();
  };
}

/**
 * What is wrong with a JSON body the parser refused, for the answer and for its field: it does not parse, or (the
 * parser takes only objects and lists) it is a JSON string, number, true, false or null.
 */
export function unparsableBody(raw: unknown): { message: string; reason: string } {
  if (typeof raw === 'string') {
    try {
      const value: unknown = JSON.parse(raw);
      return {
        message: 'The request body must be a JSON object.',
        reason: `the body must be a JSON object, not ${value === null ? 'null' : `a ${typeof value}`}`,
      };
    } catch {
      // not JSON at all
    }
  }
  return { message: 'The request body is not valid JSON.', reason: 'the body is not valid JSON' };
}
