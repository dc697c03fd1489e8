import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Logger as Pino } from 'pino';

export interface RequestLogOptions {
  /** The request's id (also sent back, e.g. as X-Request-Id): error bodies and every log line carry it. */
  requestId(req: IncomingMessage, res: ServerResponse): string;
  /** Requests answered without a log line (health probes). */
  ignore?(req: IncomingMessage): boolean;
}

/**
 * One request as the log sees it: one line when it is answered — `request completed` (info), `request
 * errored` (error, 5xx) or `request aborted` (warn, the client left first) with the status, the response
 * headers and the time taken — and a child logger carrying `req` {id, method, url} for whatever the request's
 * code logs. Nothing is built for a level that is off: the child logger only when something is written.
 */
export class RequestLog {
  private child: Pino | null = null;

  private constructor(
    private readonly root: Pino,
    readonly req: { id: string; method: string; url: string },
  ) {}

  static start(root: Pino, options: RequestLogOptions, req: IncomingMessage & { id?: string; originalUrl?: string }, res: ServerResponse) {
    req.id = options.requestId(req, res);
    const log = new RequestLog(root, { id: req.id, method: req.method ?? '', url: req.originalUrl ?? req.url ?? '' });
    if (!options.ignore?.(req)) log.logWhenAnswered(res);
    return log;
  }

  get logger(): Pino {
    return (this.child ??= this.root.child({ req: this.req }));
  }

  private logWhenAnswered(res: ServerResponse): void {
    const started = performance.now();
    const answered = () => {
      res.off('finish', answered);
      res.off('close', answered);
      const aborted = !res.writableFinished;
      const level = aborted ? 'warn' : res.statusCode >= 500 ? 'error' : 'info';
      if (!this.root.isLevelEnabled(level)) return;
      const responseTime = Math.round(performance.now() - started);
      const fields = { res: { statusCode: res.statusCode, headers: res.getHeaders() }, responseTime };
      this.logger[level](fields, aborted ? 'request aborted' : level === 'error' ? 'request errored' : 'request completed');
    };
    res.on('finish', answered);
    res.on('close', answered);
  }
}
