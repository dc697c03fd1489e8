import { randomUUID } from 'node:crypto';
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { DomainError, TooManyRequestsError } from './errors';
import { unparsableBody } from './json-body';

const CODES_BY_STATUS: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  412: 'VERSION_CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'RULE_VIOLATED',
  429: 'TOO_MANY_REQUESTS',
  503: 'SERVICE_UNAVAILABLE',
};

export interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  details?: unknown;
  requestId?: string;
}

/**
 * Turns anything thrown into the one error shape of SPEC §6; an unexpected error is logged and answered 500.
 * It answers through Nest's HTTP adapter, so it does not depend on Express.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Exceptions');

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const { httpAdapter } = this.adapterHost;
    const http = host.switchToHttp();
    const response = http.getResponse();
    const request = http.getRequest<{ id?: string }>();
    const body = this.toBody(exception);
    if (request?.id) body.requestId = String(request.id);
    // The body parser refuses a request before the logger has named it: name it here, so every error carries an id.
    else if (response && !httpAdapter.isHeadersSent(response)) {
      body.requestId = randomUUID();
      httpAdapter.setHeader(response, 'X-Request-Id', body.requestId);
    }
    // A dependency that is down (503) is logged once per outage where it is detected, not once per request.
    if (body.statusCode >= 500 && body.statusCode !== 503) {
      this.logger.error({ err: exception, requestId: body.requestId }, 'Unhandled error');
    }
    if (httpAdapter.isHeadersSent(response)) return;
    if (exception instanceof TooManyRequestsError) httpAdapter.setHeader(response, 'Retry-After', String(exception.retryAfterSeconds));
    httpAdapter.reply(response, body, body.statusCode);
  }

  private toBody(exception: unknown): ErrorBody {
    // SPEC §10: a body that is not JSON is a 400 like every other, saying what is wrong with it.
    const unparsed = parseFailure(exception);
    if (unparsed) {
      const { message, reason } = unparsableBody(unparsed.body);
      return {
        statusCode: 400,
        code: 'VALIDATION_FAILED',
        message,
        details: [{ field: 'body', messages: [reason] }],
      };
    }
    // Express could not decode a percent-escape of the address (%ff, half of a character): a field error in our shape,
    // not its own sentence, which quotes the raw escape to a reader who never typed it.
    if (badlyEncodedPath(exception)) {
      return {
        statusCode: 400,
        code: 'VALIDATION_FAILED',
        message: 'The address is not valid.',
        details: [{ field: 'path', messages: ['the address holds a % that does not start a valid character code'] }],
      };
    }
    const unread = bodyReadFailure(exception);
    if (unread) return unread;
    if (exception instanceof DomainError) {
      return { statusCode: exception.status, code: exception.code, message: exception.message, details: exception.details };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const res = exception.getResponse();
      const message = typeof res === 'string' ? res : ((res as { message?: unknown }).message ?? exception.message);
      return {
        statusCode: status,
        code: CODES_BY_STATUS[status] ?? 'ERROR',
        message: friendlyMessage(status, Array.isArray(message) ? message.join('; ') : String(message)),
        // The health check explains which dependency is down.
        ...(status === 503 && typeof res === 'object' ? { details: res } : {}),
      };
    }
    const status = bodyParserStatus(exception);
    if (status) {
      return { statusCode: status, code: CODES_BY_STATUS[status] ?? 'BAD_REQUEST', message: friendlyMessage(status, '') };
    }
    return {
      statusCode: HttpStatus.INTERNAL_SERVER_ERROR,
      code: 'INTERNAL_ERROR',
      message: 'Something went wrong on the server; it has been logged.',
    };
  }
}

/**
 * body-parser's refusal of a JSON body that does not parse, as it is thrown or as Nest's adapter wraps it; it keeps
 * the raw text as `body`.
 */
function parseFailure(exception: unknown): { body?: unknown } | null {
  const parseFailed = (e: unknown): e is { type: string; body?: unknown } =>
    (e as { type?: unknown } | null)?.type === 'entity.parse.failed';
  if (parseFailed(exception)) return exception;
  if (exception instanceof HttpException && parseFailed(exception.cause)) return exception.cause;
  return null;
}

/** Express's refusal of a path parameter whose percent-escapes are not UTF-8, as Nest's adapter wraps it. */
function badlyEncodedPath(exception: unknown): boolean {
  return exception instanceof HttpException && exception.getStatus() === 400 && exception.cause instanceof URIError;
}

/**
 * body-parser's other refusals, as Nest's adapter wraps them, in our words instead of its own: a charset or a
 * Content-Encoding it does not read (415), or a body that does not inflate as its Content-Encoding says or is
 * shorter than its Content-Length (400).
 */
function bodyReadFailure(exception: unknown): ErrorBody | null {
  if (!(exception instanceof HttpException)) return null;
  const cause = exception.cause as { type?: unknown; statusCode?: unknown } | undefined;
  if (typeof cause?.statusCode !== 'number') return null;
  if (cause.type === 'charset.unsupported' || cause.type === 'encoding.unsupported') {
    return {
      statusCode: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: 'The request body is written in a way Gongjian does not read.',
      details: [
        {
          field: 'body',
          messages: [
            cause.type === 'charset.unsupported'
              ? 'the body must be written in UTF-8'
              : 'the body may be sent as it is or compressed with gzip, deflate or br, nothing else',
          ],
        },
      ],
    };
  }
  if (exception.getStatus() === 400 && cause.statusCode === 400) {
    return {
      statusCode: 400,
      code: 'VALIDATION_FAILED',
      message: 'The request body could not be read.',
      details: [{ field: 'body', messages: ['the body does not match its Content-Encoding or Content-Length'] }],
    };
  }
  return null;
}

/** Errors raised by express' body parser before Nest sees the request (bad JSON, body too large). */
function bodyParserStatus(exception: unknown): number | null {
  const e = exception as { type?: string; status?: number; statusCode?: number };
  const status = e?.status ?? e?.statusCode;
  if (typeof e?.type === 'string' && typeof status === 'number' && status >= 400 && status < 500) return status;
  return null;
}

function friendlyMessage(status: number, message: string): string {
  if (status === 413) return 'The request is too large.';
  if (status === 503) return 'A service Gongjian depends on is not answering.';
  if (status === 400 && /JSON|Unexpected token|body/i.test(message)) return 'The request body is not valid JSON.';
  if (status === 404 && /^Cannot [A-Z-]+ \//.test(message)) return 'There is no such address in the API.';
  return message || 'The request could not be handled.';
}
