import { Writable } from 'node:stream';
import pino from 'pino';
import { AppLogger } from './logging.module';

/** An AppLogger over a pino that writes into an array, one parsed JSON line per call. */
function capture() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  return {
    logger: new AppLogger(pino({ level: 'trace', redact: { paths: ['password', '*.password'], censor: '[redacted]' } }, sink)),
    lines,
  };
}

describe(AppLogger.name, () => {
  it('writes a message with the context Nest appends', () => {
    const { logger, lines } = capture();
    logger.log('Seeded the demo organisation', 'Seed');
    expect(lines).toEqual([expect.objectContaining({ level: 30, msg: 'Seeded the demo organisation', context: 'Seed' })]);
  });

  it('merges an object given first, and puts an Error under err', () => {
    const { logger, lines } = capture();
    logger.debug({ pairingId: 4, quarter: 2, code: 'QUARTER_NOT_OVERDUABLE' }, 'Quarter not flagged', 'DeadlineSweeper');
    logger.error(new Error('boom'), 'OutboxDispatcher');
    expect(lines[0]).toMatchObject({ level: 20, msg: 'Quarter not flagged', pairingId: 4, quarter: 2, context: 'DeadlineSweeper' });
    expect(lines[1]).toMatchObject({ level: 50, context: 'OutboxDispatcher', err: { message: 'boom', type: 'Error' } });
  });

  it('reads Nest’s own error(message, stack) as an error with that stack', () => {
    const { logger, lines } = capture();
    logger.error('Unhandled', 'Error: Unhandled\n    at somewhere (file.js:1:1)', 'ExceptionsHandler');
    expect(lines[0]).toMatchObject({
      level: 50,
      context: 'ExceptionsHandler',
      err: { message: 'Unhandled', stack: expect.stringContaining('at somewhere') },
    });
  });

  it('never writes a redacted field', () => {
    const { logger, lines } = capture();
    logger.warn({ user: { password: 'Demo@2026' } }, 'Sign-in refused', 'Auth');
    expect(JSON.stringify(lines)).not.toContain('Demo@2026');
  });
});
