import { Logger } from '@nestjs/common';

/** Error codes that mean "the database is not there" rather than "this statement is wrong". */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'ER_QUERY_INTERRUPTED',
  'CR_SERVER_GONE_ERROR',
  'CR_SERVER_LOST',
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_IOERR',
  'SQLITE_CANTOPEN',
  'SQLITE_FULL',
]);
const UNAVAILABLE_MESSAGES =
  /Pool is closed|Connection lost|connection is in closed state|closed state|Too many connections|server has gone away|Lost connection/i;

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** True when `error` says a connection could not be made or was lost (Redis, or any TCP service). */
export function connectionLost(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown };
  if (typeof e?.code === 'string' && NETWORK_CODES.has(e.code)) return true;
  return (
    typeof e?.message === 'string' &&
    /Connection is closed|ECONNREFUSED|ECONNRESET|ETIMEDOUT|Stream isn't writeable|connect ETIMEDOUT/i.test(e.message)
  );
}

/** True when `error` (a driver error, or TypeORM's wrapper of one) says the database cannot be reached. */
export function databaseUnavailable(error: unknown): boolean {
  for (
    let e = error as { code?: unknown; driverError?: unknown; cause?: unknown; message?: unknown } | undefined, depth = 0;
    e && depth < 4;
    depth++
  ) {
    if (typeof e.code === 'string' && (UNAVAILABLE_CODES.has(e.code) || /^SQLITE_(BUSY|IOERR)/.test(e.code))) return true;
    if (typeof e.message === 'string' && UNAVAILABLE_MESSAGES.test(e.message)) return true;
    e = (e.driverError ?? e.cause) as typeof e;
  }
  return false;
}

/**
 * Whether a dependency answers, as the requests and jobs that use it find out. It logs one line when the
 * dependency stops answering and one when it is back — never one per failed request.
 */
export class DependencyStatus {
  private downSince: number | null = null;
  /** A failed write is not made good by reads that succeed (SQLite locked by another process: reads go on). */
  private downOnWrite = false;
  private readonly logger: Logger;

  /** `subject` as a sentence begins ("The database"); `meanwhile` says what happens until it is back. */
  constructor(
    readonly subject: string,
    private readonly meanwhile: string,
    private readonly now: () => number = Date.now,
  ) {
    this.logger = new Logger('Outage');
  }

  get down(): boolean {
    return this.downSince !== null;
  }

  failed(error: unknown, write = false): void {
    if (this.downSince !== null) {
      this.downOnWrite ||= write;
      return;
    }
    this.downSince = this.now();
    this.downOnWrite = write;
    const reason = (error as { code?: string })?.code ?? (error as Error)?.message ?? String(error);
    this.logger.error(`${this.subject} is not answering (${reason}); ${this.meanwhile}.`);
  }

  answered(write = false): void {
    if (this.downSince === null || (this.downOnWrite && !write)) return;
    const seconds = Math.round((this.now() - this.downSince) / 1000);
    this.downSince = null;
    this.logger.log(`${this.subject} is answering again after ${seconds} s.`);
  }
}
