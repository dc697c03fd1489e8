/**
 * Sign-ins that end when they should: tokens expire and carry the user's token version, which a new
 * password, a deactivation or a change of roles or branch bumps; malformed tokens are 401, never 500;
 * failed sign-ins are throttled per username and per client address, shared by every API process.
 */
import { createHmac } from 'node:crypto';
import request from 'supertest';
import { NestExpressApplication } from '@nestjs/platform-express';
import { createApp } from '../src/app.factory';
import { auth } from './support/pairing-flow';
import { DEMO_PASSWORD, engines, startTestApp, TestApp } from './support/test-app';

const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** An HS256 token signed with `secret`, with exactly the claims given. */
function forge(secret: string, claims: Record<string, unknown>, header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT' }): string {
  const body = `${b64(header)}.${b64(claims)}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

const decode = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());

describe.each(engines())('Sign-in tokens on %s', (engine) => {
  let t: TestApp;
  let admin: string;
  let seq = 0;

  beforeAll(async () => {
    t = await startTestApp(engine);
    admin = await t.token('admin');
  });
  afterAll(() => t.close());

  /** A new leader account and a token of theirs. */
  async function account(): Promise<{ id: number; username: string; token: string }> {
    const username = `signin-${++seq}`;
    const created = await t
      .http()
      .post('/api/users')
      .set(auth(admin))
      .send({ username, displayName: username, password: DEMO_PASSWORD, roles: ['leader'] })
      .expect(201);
    const login = await t.http().post('/api/auth/login').send({ username, password: DEMO_PASSWORD }).expect(200);
    await t.http().get('/api/auth/me').set(auth(login.body.accessToken)).expect(200);
    return { id: created.body.id, username, token: login.body.accessToken };
  }
  const change = (id: number, body: Record<string, unknown>) => t.http().patch(`/api/users/${id}`).set(auth(admin)).send(body).expect(200);
  const me = (token: string) => t.http().get('/api/auth/me').set(auth(token));

  it('issues tokens that expire (8 hours) and name the user and token version', async () => {
    const { id, token } = await account();
    const claims = decode(token);
    expect(claims).toMatchObject({ sub: String(id), ver: 0 });
    expect(claims.exp - claims.iat).toBe(8 * 3600);
  });

  it('refuses a token issued before a password change, and takes the new password', async () => {
    const { id, username, token } = await account();
    const other = await account();
    await change(id, { password: 'Changed@2026' });
    const refused = await me(token).expect(401);
    expect(refused.body).toMatchObject({ statusCode: 401, code: 'UNAUTHENTICATED', message: expect.stringMatching(/sign in again/) });
    const fresh = await t.http().post('/api/auth/login').send({ username, password: 'Changed@2026' }).expect(200);
    await me(fresh.body.accessToken).expect(200);
    expect(decode(fresh.body.accessToken).ver).toBe(1);
    // Nobody else's sign-in is touched.
    await me(other.token).expect(200);
  });

  it('keeps refusing a token issued before a deactivation after the account is active again', async () => {
    const { id, username, token } = await account();
    await change(id, { active: false });
    await me(token).expect(401);
    await change(id, { active: true });
    await me(token).expect(401);
    const fresh = await t.http().post('/api/auth/login').send({ username, password: DEMO_PASSWORD }).expect(200);
    await me(fresh.body.accessToken).expect(200);
  });

  it.each([
    ['roles', { roles: ['auditor'] }],
    ['branch', { roles: ['leader', 'member'], branchId: 2 }],
  ])('refuses a token issued before a change of %s', async (_, body) => {
    const { id, token } = await account();
    await change(id, body);
    await me(token).expect(401);
  });

  it('keeps the token through a change of display name', async () => {
    const { id, token } = await account();
    await change(id, { displayName: '改名' });
    await me(token).expect(200);
  });

  it('answers 401, never 500, to tokens with malformed or missing claims', async () => {
    const { id } = await account();
    const secret = t.config.jwtSecret;
    const now = Math.floor(Date.now() / 1000);
    const good = { sub: String(id), ver: 0, iat: now, exp: now + 600 };
    // The control: a token made like the server's own is accepted.
    await me(forge(secret, good)).expect(200);
    const bad: [string, string][] = [
      ['sub not a number', forge(secret, { ...good, sub: 'abc' })],
      ['sub a fraction', forge(secret, { ...good, sub: '1.5' })],
      ['sub too large', forge(secret, { ...good, sub: '99999999999999999999' })],
      ['sub an object', forge(secret, { ...good, sub: { id } })],
      ['no sub', forge(secret, { ver: 0, iat: now, exp: now + 600 })],
      ['no exp', forge(secret, { sub: String(id), ver: 0, iat: now })],
      ['exp not a number', forge(secret, { ...good, exp: 'tomorrow' })],
      ['expired', forge(secret, { ...good, iat: now - 7200, exp: now - 3600 })],
      ['no token version', forge(secret, { sub: String(id), iat: now, exp: now + 600 })],
      ['another token version', forge(secret, { ...good, ver: 5 })],
      ['a user that does not exist', forge(secret, { ...good, sub: '999999' })],
      ['another secret', forge('some-other-secret-of-32-characters!', good)],
      ['alg none', `${b64({ alg: 'none', typ: 'JWT' })}.${b64(good)}.`],
      ['not a JWT', 'abc.def.ghi'],
    ];
    for (const [what, token] of bad) {
      const res = await me(token);
      expect({ what, status: res.status, code: res.body.code }).toEqual({ what, status: 401, code: 'UNAUTHENTICATED' });
    }
  });
});

describe.each(engines())('Sign-in throttling on %s', (engine) => {
  let t: TestApp;

  beforeAll(async () => {
    // Behind a trusted proxy on loopback, so each test can speak for several client addresses.
    t = await startTestApp(engine, { TRUST_PROXY: 'loopback' });
  });
  afterAll(() => t.close());

  const login = (username: string, password: string, ip: string) =>
    t.http().post('/api/auth/login').set('X-Forwarded-For', ip).send({ username, password });

  function expectThrottled(res: request.Response) {
    expect(res.status).toBe(429);
    expect(res.body).toMatchObject({ statusCode: 429, code: 'TOO_MANY_REQUESTS', message: expect.any(String) });
    const retryAfter = Number(res.headers['retry-after']);
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
  }

  it('throttles a username after 10 failures in a minute from any addresses, even with the right password', async () => {
    for (let i = 0; i < 10; i++) expect((await login('leader', `wrong-${i}`, `198.51.100.${i + 1}`)).status).toBe(401);
    expectThrottled(await login('leader', DEMO_PASSWORD, '198.51.100.77'));
    // Other usernames from those addresses are not held up.
    expect((await login('auditor', DEMO_PASSWORD, '198.51.100.1')).status).toBe(200);
  });

  it('throttles an address after 30 failures in a minute across usernames, unknown ones too', async () => {
    const ip = '203.0.113.9';
    for (let i = 0; i < 30; i++) expect((await login(i % 10 ? `nobody-${i}` : 'member', `wrong-${i}`, ip)).status).toBe(401);
    expectThrottled(await login('committee', DEMO_PASSWORD, ip));
    expectThrottled(await login(`nobody-new`, 'whatever', ip));
    // Another address signs in as usual.
    expect((await login('committee', DEMO_PASSWORD, '203.0.113.10')).status).toBe(200);
  });

  it('does not count successful sign-ins: many people behind one address sign in as often as they like', async () => {
    const ip = '192.0.2.50';
    for (let i = 0; i < 40; i++) expect((await login(['secretary', 'secretary2', 'auditor'][i % 3], DEMO_PASSWORD, ip)).status).toBe(200);
  });

  it('records each failure, throttled or not, as LOGIN_FAILED only when it reached the password check', async () => {
    const count = async () => Number((await t.dataSource.query("SELECT COUNT(*) AS n FROM audit_event WHERE type = 'LOGIN_FAILED'"))[0].n);
    const before = await count();
    expectThrottled(await login('leader', 'wrong-again', '198.51.100.200'));
    expect(await count()).toBe(before);
  });
});

describe('Sign-in throttling without a trusted proxy', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp('sqlite');
  });
  afterAll(() => t.close());

  it('ignores X-Forwarded-For: a client cannot escape its count by claiming other addresses', async () => {
    for (let i = 0; i < 30; i++) {
      const res = await t
        .http()
        .post('/api/auth/login')
        .set('X-Forwarded-For', `198.51.100.${i}`)
        .send({ username: `nobody-${i}`, password: 'wrong' });
      expect(res.status).toBe(401);
    }
    const res = await t
      .http()
      .post('/api/auth/login')
      .set('X-Forwarded-For', '198.51.100.250')
      .send({ username: 'leader', password: DEMO_PASSWORD });
    expect(res.status).toBe(429);
  });
});

// Several API processes share a database only on MySQL (SPEC §2).
for (const engine of engines().filter((e) => e === 'mysql')) {
  describe(`Sign-in throttling across API processes on ${engine}`, () => {
    let t: TestApp;
    let other: NestExpressApplication;

    beforeAll(async () => {
      t = await startTestApp(engine);
      other = await createApp({ ...t.config, processRole: 'api' });
      await other.init();
    });
    afterAll(async () => {
      await other?.close();
      await t?.close();
    });

    it('counts failures sent to one process in every other', async () => {
      for (let i = 0; i < 10; i++) {
        const server = i % 2 ? other.getHttpServer() : t.app.getHttpServer();
        expect(
          (
            await request(server)
              .post('/api/auth/login')
              .send({ username: 'leader', password: `wrong-${i}` })
          ).status,
        ).toBe(401);
      }
      for (const server of [t.app.getHttpServer(), other.getHttpServer()]) {
        const res = await request(server).post('/api/auth/login').send({ username: 'leader', password: DEMO_PASSWORD });
        expect(res.status).toBe(429);
        expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      }
    });
  });
}
