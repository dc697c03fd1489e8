import { createServer, type AddressInfo, type Socket } from 'node:net';
import { startTestApp, TestApp } from './support/test-app';

describe('Health when Redis is configured but not answering', () => {
  let t: TestApp;

  beforeAll(async () => {
    // Port 1 on loopback: nothing listens there.
    t = await startTestApp('sqlite', { REDIS_URL: 'redis://127.0.0.1:1', QUEUE_PREFIX: 'gj-health-test' });
  });
  afterAll(() => t.close());

  it('answers 503 in the error shape, naming Redis, while the database is up', async () => {
    const res = await t.http().get('/api/health').expect(503);
    expect(res.body).toMatchObject({ statusCode: 503, code: 'SERVICE_UNAVAILABLE', message: expect.any(String) });
    expect(res.body.details.error.redis.status).toBe('down');
    expect(res.body.details.info.database.status).toBe('up');
  });

  it('still accepts sign-ins and changes: nothing waits on Redis inside a request', async () => {
    await t.http().post('/api/auth/login').send({ username: 'committee', password: 'Demo@2026' }).expect(200);
  });
});

describe('Closing while Redis has accepted the connection but never answered', () => {
  it('leaves no rejection behind (a worker started before Redis answered)', async () => {
    // A server that takes the connection and says nothing: Redis that hangs, the queue's client never ready.
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const rejections: unknown[] = [];
    const seen = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', seen);
    try {
      const { port } = silent.address() as AddressInfo;
      const t = await startTestApp('sqlite', { REDIS_URL: `redis://127.0.0.1:${port}`, QUEUE_PREFIX: 'gj-health-silent' });
      await t.http().get('/api/health').expect(503);
      await t.close();
      // What the queue's clients do as they end comes a turn or two after the close.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(rejections).toEqual([]);
    } finally {
      process.off('unhandledRejection', seen);
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
