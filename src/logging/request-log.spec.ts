import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Writable } from 'node:stream';
import pino from 'pino';
import { RequestLog, RequestLogOptions } from './request-log';

function capture(level = 'info') {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  const root = pino({ level, redact: { paths: ['res.headers["set-cookie"]'], censor: '[redacted]' } }, sink);
  return { root, lines };
}

/** A response as far as the request log reads it. */
function response() {
  const res = Object.assign(new EventEmitter(), {
    statusCode: 200,
    writableFinished: false,
    headers: {} as Record<string, string>,
    setHeader(name: string, value: string) {
      res.headers[name.toLowerCase()] = value;
    },
    getHeaders() {
      return res.headers;
    },
  });
  return res;
}

const options: RequestLogOptions = {
  requestId: (_req, res) => {
    res.setHeader('X-Request-Id', 'rid-1');
    return 'rid-1';
  },
  ignore: (req) => req.url === '/api/health',
};

function serve(root: pino.Logger, url: string, answer: (res: ReturnType<typeof response>) => void) {
  const req = { method: 'POST', url, headers: {} } as unknown as IncomingMessage & { id?: string };
  const res = response();
  const log = RequestLog.start(root, options, req, res as unknown as ServerResponse);
  answer(res);
  return { req, res, log };
}

const finish = (status: number) => (res: ReturnType<typeof response>) => {
  res.statusCode = status;
  res.writableFinished = true;
  res.emit('finish');
  res.emit('close');
};

describe(RequestLog.name, () => {
  it('writes one line when the request is answered, with its id, status, headers and time', () => {
    const { root, lines } = capture();
    const { req } = serve(root, '/api/pairings/4/events', finish(201));
    expect(req.id).toBe('rid-1');
    expect(lines).toEqual([
      expect.objectContaining({
        level: 30,
        msg: 'request completed',
        req: { id: 'rid-1', method: 'POST', url: '/api/pairings/4/events' },
        res: { statusCode: 201, headers: { 'x-request-id': 'rid-1' } },
        responseTime: expect.any(Number),
      }),
    ]);
  });

  it('logs a 5xx as an error and a request the client left as aborted', () => {
    const { root, lines } = capture();
    serve(root, '/api/pairings', finish(503));
    serve(root, '/api/pairings', (res) => res.emit('close'));
    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      [50, 'request errored'],
      [40, 'request aborted'],
    ]);
  });

  it('gives the request’s own logs its id, and never writes a redacted header', () => {
    const { root, lines } = capture();
    serve(root, '/api/auth/login', (res) => {
      res.setHeader('Set-Cookie', 'session=secret');
      finish(200)(res);
    }).log.logger.warn('Sign-in refused');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatchObject({ msg: 'Sign-in refused', req: { id: 'rid-1' } });
    expect(JSON.stringify(lines)).not.toContain('session=secret');
  });

  it('writes nothing for an ignored request, and builds no child logger while the level is off', () => {
    const quiet = capture();
    serve(quiet.root, '/api/health', finish(200));
    expect(quiet.lines).toEqual([]);

    const silent = capture('silent');
    const child = jest.spyOn(silent.root, 'child');
    serve(silent.root, '/api/pairings', finish(200));
    expect(child).not.toHaveBeenCalled();
    expect(silent.lines).toEqual([]);
  });
});
