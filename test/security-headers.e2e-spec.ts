import { engines, startTestApp, TestApp } from './support/test-app';

/** What every answer carries (helmet, configured once in app.factory.ts). */
export function expectSecurityHeaders(headers: Record<string, string>) {
  const csp = headers['content-security-policy'];
  expect(csp).toEqual(expect.stringContaining("default-src 'self'"));
  expect(csp).toEqual(expect.stringContaining("script-src 'self'"));
  expect(csp).toEqual(expect.stringContaining("frame-ancestors 'none'"));
  expect(csp).toEqual(expect.stringContaining("object-src 'none'"));
  expect(csp).not.toMatch(/script-src[^;]*unsafe/);
  expect(csp).not.toContain('upgrade-insecure-requests');
  expect(headers['x-frame-options']).toBe('DENY');
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('no-referrer');
  expect(headers['x-powered-by']).toBeUndefined();
}

describe.each(engines())('Security headers on %s', (engine) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp(engine);
  });
  afterAll(() => t.close());

  it.each([
    ['the health check', (h: TestApp) => h.http().get('/api/health'), 200],
    ['a sign-in', (h: TestApp) => h.http().post('/api/auth/login').send({ username: 'committee', password: 'Demo@2026' }), 200],
    ['a refused request', (h: TestApp) => h.http().get('/api/pairings'), 401],
    ['an unknown address', (h: TestApp) => h.http().get('/api/no-such-thing'), 404],
    [
      'a body that is not JSON',
      (h: TestApp) => h.http().post('/api/auth/login').set('content-type', 'application/json').send('{oops'),
      400,
    ],
    [
      'a body too large',
      (h: TestApp) =>
        h
          .http()
          .post('/api/auth/login')
          .set('content-type', 'application/json')
          .send(`"${'x'.repeat(1_100_000)}"`),
      413,
    ],
    ['the API docs', (h: TestApp) => h.http().get('/api/docs/'), 200],
  ])('are on %s', async (_, call, status) => {
    const res = await call(t);
    expect(res.status).toBe(status);
    expectSecurityHeaders(res.headers as Record<string, string>);
    // Plain HTTP, no trusted proxy: no HSTS, whatever a client claims.
    expect(res.headers['strict-transport-security']).toBeUndefined();
  });

  it('sends no HSTS for a forwarded https request unless TRUST_PROXY says the proxy is trusted', async () => {
    const res = await t.http().get('/api/health').set('X-Forwarded-Proto', 'https').expect(200);
    expect(res.headers['strict-transport-security']).toBeUndefined();
  });
});

describe('Security headers behind a trusted reverse proxy (TRUST_PROXY=loopback)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp('sqlite', { TRUST_PROXY: 'loopback' });
  });
  afterAll(() => t.close());

  it('adds HSTS when the proxy says the client came over TLS, and only then', async () => {
    const secure = await t.http().get('/api/health').set('X-Forwarded-Proto', 'https').expect(200);
    expect(secure.headers['strict-transport-security']).toMatch(/^max-age=\d+; includeSubDomains$/);
    expectSecurityHeaders(secure.headers as Record<string, string>);
    const plain = await t.http().get('/api/health').expect(200);
    expect(plain.headers['strict-transport-security']).toBeUndefined();
  });
});
