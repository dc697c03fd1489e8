import type { IncomingMessage, ServerResponse } from 'node:http';
import { DynamicModule, Global, Inject, Injectable, LoggerService, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import pino, { Level, Logger as Pino, LoggerOptions } from 'pino';
import { ContextSlot } from '../common/async-context';
import { RequestLog, RequestLogOptions } from './request-log';

/** The request being served, for whatever logs while it is served (its lines carry the request's id). */
const currentRequest = new ContextSlot<RequestLog>('request');

const ROOT = Symbol('ROOT_LOGGER');
const HTTP_OPTIONS = Symbol('HTTP_LOG_OPTIONS');

export interface LoggingOptions {
  pino: LoggerOptions;
  /** How a request gets its id, which requests are not logged. */
  http: RequestLogOptions;
}

/**
 * Nest's LoggerService over pino: JSON lines, one per call, bound to the request being served (so they carry its
 * id). `logger.error(obj, 'message')` merges `obj` into the line, an Error goes under `err`, and the context
 * Nest appends (the class name of a `new Logger(name)`) goes under `context`.
 */
@Injectable()
export class AppLogger implements LoggerService {
  constructor(@Inject(ROOT) private readonly root: Pino) {}

  verbose(message: unknown, ...rest: unknown[]) {
    this.write('trace', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]) {
    this.write('debug', message, rest);
  }
  log(message: unknown, ...rest: unknown[]) {
    this.write('info', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]) {
    this.write('warn', message, rest);
  }
  error(message: unknown, ...rest: unknown[]) {
    this.write('error', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]) {
    this.write('fatal', message, rest);
  }

  private write(level: Level, message: unknown, rest: unknown[]) {
    if (!this.root.isLevelEnabled(level)) return;
    const logger = currentRequest.get()?.logger ?? this.root;
    const fields: Record<string, unknown> = {};
    let params = rest;
    // Nest passes the logger's context last.
    if (params.length && typeof params[params.length - 1] === 'string') {
      fields.context = params[params.length - 1];
      params = params.slice(0, -1);
    }
    if (message instanceof Error) fields.err = message;
    else if (message && typeof message === 'object') Object.assign(fields, message);
    // Nest's own exception handlers call error(message, stack).
    if (
      level === 'error' &&
      typeof message === 'string' &&
      params.length === 1 &&
      typeof params[0] === 'string' &&
      /\n\s*at /.test(params[0])
    ) {
      const err = new Error(message);
      err.stack = params[0];
      logger.error({ ...fields, err });
      return;
    }
    const text = typeof message === 'string' ? message : typeof params[0] === 'string' ? (params.shift() as string) : undefined;
    if (text === undefined) logger[level](fields);
    else logger[level](fields, text, ...params);
  }
}

/** Logs every HTTP request once it is answered, and keeps it for the logs written while it is served. */
@Global()
@Module({})
export class LoggingModule implements NestModule {
  constructor(
    @Inject(ROOT) private readonly root: Pino,
    @Inject(HTTP_OPTIONS) private readonly http: LoggingOptions['http'],
  ) {}

  static forRoot(options: LoggingOptions): DynamicModule {
    return {
      module: LoggingModule,
      providers: [{ provide: ROOT, useValue: pino(options.pino) }, { provide: HTTP_OPTIONS, useValue: options.http }, AppLogger],
      exports: [AppLogger],
    };
  }

  configure(consumer: MiddlewareConsumer) {
    consumer
      .apply((req: IncomingMessage, res: ServerResponse, next: () => void) =>
        currentRequest.run(RequestLog.start(this.root, this.http, req, res), next),
      )
      .forRoutes('*path');
  }
}
