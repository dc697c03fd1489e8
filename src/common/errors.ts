/**
 * Domain errors carry an HTTP status and a stable code; the one exception filter turns them into
 * `{statusCode, code, message, details?, requestId}`. Services throw these, never HTTP responses.
 */
export class DomainError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string) {
    super(404, 'NOT_FOUND', `${what} was not found.`);
  }
}

export class ForbiddenError extends DomainError {
  constructor(message = 'You are not allowed to do this.', code = 'FORBIDDEN') {
    super(403, code, message);
  }
}

export class ConflictError extends DomainError {
  constructor(code: string, message: string, details?: unknown) {
    super(409, code, message, details);
  }
}

export class UnauthenticatedError extends DomainError {
  constructor(message = 'Please sign in.') {
    super(401, 'UNAUTHENTICATED', message);
  }
}

export class ValidationFailedError extends DomainError {
  constructor(details: { field: string; messages: string[] }[], message = 'Some fields are not valid.') {
    super(400, 'VALIDATION_FAILED', message, details);
  }
}

/** 429: the caller must wait; the filter sends `Retry-After` with the seconds. */
export class TooManyRequestsError extends DomainError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
    code = 'TOO_MANY_REQUESTS',
  ) {
    super(429, code, message);
  }
}

/** 503: a service Gongjian depends on is not answering; `details.dependency` names it. */
export class ServiceUnavailableError extends DomainError {
  constructor(readonly dependency: 'database' | 'redis') {
    super(
      503,
      'SERVICE_UNAVAILABLE',
      dependency === 'database'
        ? 'The database is not answering; please try again in a moment.'
        : 'Redis is not answering; please try again in a moment.',
      { dependency },
    );
  }
}

export class RuleViolationError extends DomainError {
  constructor(code: string, message: string, status = 422, details?: unknown) {
    super(status, code, message, details);
  }
}
