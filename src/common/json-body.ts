import { CanActivate, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
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

const READS_OWN_BODY = 'gongjian:readsOwnBody';

/** Marks a route that reads its request body itself (an upload's multipart form, a checkpoint file), not as JSON. */
export const ReadsOwnBody = () => SetMetadata(READS_OWN_BODY, true);

/** True when the request sent bytes the JSON parser left unread: a body of another Content-Type, or of none. */
function carriesUnreadBody(req: Request): boolean {
  if (req.body !== undefined) return false;
  return Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
}

/**
 * A body sent as text/plain, a form or multipart to a route that takes JSON is refused as not JSON (SPEC §10). The
 * parser reads only JSON, so the route would see no body at all and answer that every required field is missing. A
 * guard, not an interceptor: it needs the route's metadata, and an interceptor would wrap every request in rxjs.
 */
@Injectable()
export class JsonBodyGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    if (carriesUnreadBody(req) && !this.reflector.get<boolean>(READS_OWN_BODY, context.getHandler())) {
      const sentAs = req.headers['content-type'] ? `as ${req.headers['content-type'].slice(0, 100)}` : 'without a Content-Type';
      throw new ValidationFailedError(
        [{ field: 'body', messages: [`the body must be JSON, sent with Content-Type: application/json; this one was sent ${sentAs}`] }],
        'The request body must be JSON.',
      );
    }
    return true;
  }
}
