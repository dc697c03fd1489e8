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
