import { auditHash, GENESIS_HASH } from '../src/audit/canonical-json';
import { engines, startTestApp, TestApp } from './support/test-app';

const ROLES = ['secretary', 'committee', 'auditor', 'leader', 'member'] as const;

describe.each(engines())('Foundation on %s', (engine) => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await startTestApp(engine);
    admin = await t.token('admin');
  });
  afterAll(() => t.close());

  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
  /** A JSON body exactly as written: a bare value, a broken or deep body, a key such as `__proto__`, which no serialiser would send. */
  const sendRaw = (method: 'post' | 'patch', path: string, raw: string, token?: string) => {
    const req = t.http()[method](path).set('Content-Type', 'application/json');
    return (token ? req.set(auth(token)) : req).send(raw);
  };

  describe('sign-in', () => {
    it('returns a token and the user without a password hash', async () => {
      const res = await t.http().post('/api/auth/login').send({ username: 'committee', password: 'Demo@2026' }).expect(200);
      expect(res.body.accessToken).toEqual(expect.any(String));
      expect(res.body.user).toMatchObject({ username: 'committee', roles: ['committee'] });
      expect(JSON.stringify(res.body)).not.toMatch(/passwordHash|\$2[aby]\$/);
      const me = await t.http().get('/api/auth/me').set(auth(res.body.accessToken)).expect(200);
      expect(me.body).toMatchObject({ username: 'committee', displayName: '王机关（机关党委）' });
    });

    it('reads a username whatever its case, on every engine, as the user it names', async () => {
      for (const username of ['Committee', 'COMMITTEE', ' committee ']) {
        const res = await t.http().post('/api/auth/login').send({ username, password: 'Demo@2026' }).expect(200);
        expect(res.body.user).toMatchObject({ username: 'committee', roles: ['committee'] });
      }
    });

    it('refuses a wrong password with 401 in the error shape, carrying the request id', async () => {
      const res = await t.http().post('/api/auth/login').send({ username: 'leader', password: 'wrong-password' }).expect(401);
      expect(res.body).toMatchObject({
        statusCode: 401,
        code: 'UNAUTHENTICATED',
        message: expect.any(String),
        requestId: expect.any(String),
      });
      expect(res.headers['x-request-id']).toBe(res.body.requestId);
    });

    it('refuses requests without a token or with a forged one', async () => {
      await t.http().get('/api/auth/me').expect(401);
      const res = await t.http().get('/api/auth/me').set(auth('not-a-token')).expect(401);
      expect(res.body.code).toBe('UNAUTHENTICATED');
    });

    it('throttles after 10 failed attempts in a minute for one IP and username, even with the right password', async () => {
      await t
        .http()
        .post('/api/users')
        .set(auth(admin))
        .send({ username: 'throttled', displayName: '限流', password: 'Right@2026', roles: ['leader'] })
        .expect(201);
      for (let i = 0; i < 10; i++) {
        await t
          .http()
          .post('/api/auth/login')
          .send({ username: 'throttled', password: `wrong-${i}` })
          .expect(401);
      }
      const res = await t.http().post('/api/auth/login').send({ username: 'throttled', password: 'Right@2026' }).expect(429);
      expect(res.body.code).toBe('TOO_MANY_REQUESTS');
      // Another username from the same IP is not affected.
      await t.http().post('/api/auth/login').send({ username: 'leader', password: 'Demo@2026' }).expect(200);
    });

    it('answers 401 to a deactivated user from the very next request, and refuses their sign-in', async () => {
      const created = await t
        .http()
        .post('/api/users')
        .set(auth(admin))
        .send({ username: 'leaving', displayName: '离职', password: 'Leave@2026', roles: ['leader'] })
        .expect(201);
      const token = await t.token('leaving', 'Leave@2026');
      await t.http().get('/api/auth/me').set(auth(token)).expect(200);
      await t.http().patch(`/api/users/${created.body.id}`).set(auth(admin)).send({ active: false }).expect(200);
      await t.http().get('/api/auth/me').set(auth(token)).expect(401);
      await t.http().post('/api/auth/login').send({ username: 'leaving', password: 'Leave@2026' }).expect(401);
    });

    it('applies a change of roles on the very next request', async () => {
      const created = await t
        .http()
        .post('/api/users')
        .set(auth(admin))
        .send({ username: 'deputy-admin', displayName: '副管理员', password: 'Deputy@2026', roles: ['admin'] })
        .expect(201);
      const token = await t.token('deputy-admin', 'Deputy@2026');
      await t.http().get('/api/users').set(auth(token)).expect(200);
      await t
        .http()
        .patch(`/api/users/${created.body.id}`)
        .set(auth(admin))
        .send({ roles: ['leader'] })
        .expect(200);
      // The change revokes the token; signed in again, the user holds the new roles only.
      await t.http().get('/api/users').set(auth(token)).expect(401);
      t.forget('deputy-admin');
      const res = await t
        .http()
        .get('/api/users')
        .set(auth(await t.token('deputy-admin', 'Deputy@2026')))
        .expect(403);
      expect(res.body.code).toBe('FORBIDDEN');
    });
  });

  describe('admin routes', () => {
    const adminRoutes: [string, string, () => object][] = [
      ['get', '/api/users', () => ({})],
      [
        'post',
        '/api/users',
        () => ({
          username: `u${Date.now()}${Math.random().toString(36).slice(2, 6)}`,
          displayName: '新用户',
          password: 'Passw0rd!',
          roles: ['leader'],
        }),
      ],
      ['patch', '/api/users/1', () => ({ displayName: '系统管理员' })],
      ['post', '/api/branches', () => ({ name: `支部${Math.random().toString(36).slice(2, 8)}` })],
      ['patch', '/api/branches/1', () => ({ name: '审管办与刑庭支部' })],
      ['post', '/api/partners', () => ({ name: `单位${Math.random().toString(36).slice(2, 8)}`, kind: 'enterprise' })],
      ['patch', '/api/partners/1', () => ({ contact: '0573-1234567' })],
    ];

    it.each(adminRoutes)('%s %s: admin only, 401 without a token', async (method, url, body) => {
      const call = (token?: string) => {
        const req = (t.http() as unknown as Record<string, (u: string) => import('supertest').Test>)[method](url);
        if (token) req.set(auth(token));
        return method === 'get' ? req : req.send(body());
      };
      expect((await call()).status).toBe(401);
      for (const role of ROLES) {
        const res = await call(await t.token(role));
        expect({ role, status: res.status, code: res.body.code }).toEqual({ role, status: 403, code: 'FORBIDDEN' });
      }
      const ok = await call(admin);
      expect(ok.status).toBeLessThan(300);
    });

    it('lets every signed-in role read branches and partners', async () => {
      for (const role of ROLES) {
        const token = await t.token(role);
        const branches = await t.http().get('/api/branches').set(auth(token)).expect(200);
        expect(branches.body.map((b: { name: string }) => b.name)).toContain('立案庭党支部');
        const partners = await t.http().get('/api/partners').set(auth(token)).expect(200);
        expect(partners.body).toContainEqual(expect.objectContaining({ name: '平湖市社会治理中心党支部', kind: 'public_institution' }));
      }
    });

    it('seeds the ten branches and eleven partners of the article', async () => {
      const branches = await t.http().get('/api/branches').set(auth(admin)).expect(200);
      expect(branches.body.filter((b: { name: string }) => b.name.endsWith('支部')).length).toBeGreaterThanOrEqual(10);
      const partners = await t.http().get('/api/partners').set(auth(admin)).expect(200);
      expect(partners.body.length).toBeGreaterThanOrEqual(11);
    });
  });

  describe('validation and conflicts', () => {
    it.each([
      ['an unknown field', { username: 'x1', displayName: 'x', password: 'Passw0rd!', roles: ['leader'], isRoot: true }, 'isRoot'],
      ['a short password', { username: 'x2', displayName: 'x', password: 'short', roles: ['leader'] }, 'password'],
      ['an unknown role', { username: 'x3', displayName: 'x', password: 'Passw0rd!', roles: ['king'] }, 'roles'],
      ['a blank display name', { username: 'x4', displayName: '   ', password: 'Passw0rd!', roles: ['leader'] }, 'displayName'],
      ['a secretary without a branch', { username: 'x5', displayName: 'x', password: 'Passw0rd!', roles: ['secretary'] }, 'branchId'],
      [
        'a branch that does not exist',
        { username: 'x6', displayName: 'x', password: 'Passw0rd!', roles: ['member'], branchId: 99999 },
        'branchId',
      ],
    ])('refuses %s with 400 VALIDATION_FAILED naming the field, and creates nothing', async (_, body, field) => {
      const before = await t.http().get('/api/users').set(auth(admin));
      const res = await t.http().post('/api/users').set(auth(admin)).send(body).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
      const after = await t.http().get('/api/users').set(auth(admin));
      expect(after.body.length).toBe(before.body.length);
    });

    it('refuses a JSON body that is not an object (a string, null) with 400 saying it must be an object, and creates nothing', async () => {
      const before = await t.http().get('/api/branches').set(auth(admin));
      for (const [raw, what] of [
        ['"立案庭党支部"', 'a string'],
        ['null', 'null'],
        ['42', 'a number'],
      ]) {
        const res = await sendRaw('post', '/api/branches', raw, admin).expect(400);
        expect(res.body).toMatchObject({
          code: 'VALIDATION_FAILED',
          message: 'The request body must be a JSON object.',
          details: [{ field: 'body', messages: [`the body must be a JSON object, not ${what}`] }],
        });
      }
      const after = await t.http().get('/api/branches').set(auth(admin));
      expect(after.body.length).toBe(before.body.length);
    });

    it('refuses a body nested thousands deep with 400 naming the body, before sign-in too, never 500; a shallow one meets the usual rules', async () => {
      const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
      const deep = (fields: string) => `{${fields}"x":${nested(5000)}}`;
      const login = await sendRaw('post', '/api/auth/login', deep('"username":"x","password":"y",'));
      expect(login.status).toBe(400);
      expect(login.body).toMatchObject({
        code: 'VALIDATION_FAILED',
        message: 'The request body nests too deeply.',
        details: [{ field: 'body', messages: [expect.stringContaining('more than 32 deep')] }],
      });
      const before = await t.http().get('/api/branches').set(auth(admin));
      const res = await sendRaw('post', '/api/branches', deep('"name":"深层支部",'), admin);
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([{ field: 'body', messages: [expect.stringContaining('more than 32 deep')] }]);
      // Ten levels are within the limit: the body reaches validation, which refuses the unknown field.
      const shallow = await sendRaw('post', '/api/branches', `{"name":"浅层支部","x":${nested(10)}}`, admin);
      expect(shallow.status).toBe(400);
      expect(shallow.body.details.map((d: { field: string }) => d.field)).toEqual(['x']);
      const after = await t.http().get('/api/branches').set(auth(admin));
      expect(after.body.length).toBe(before.body.length);
    });

    it('refuses a body key naming an object’s machinery (__proto__, constructor) as an unknown field, and changes nothing', async () => {
      const partner = (await t.http().get('/api/partners').set(auth(admin)).expect(200)).body[0] as { id: number; contact: string | null };
      for (const key of ['__proto__', 'constructor', 'prototype']) {
        for (const value of ['{"contact":"x"}', 'null', '"x"', '[1]', '1']) {
          const res = await sendRaw('patch', `/api/partners/${partner.id}`, `{"contact":"改过的联系人","${key}":${value}}`, admin);
          expect({ key, value, status: res.status, details: res.body.details }).toEqual({
            key,
            value,
            status: 400,
            details: [{ field: key, messages: [`property ${key} should not exist`] }],
          });
        }
      }
      const after = (await t.http().get('/api/partners').set(auth(admin)).expect(200)).body.find(
        (p: { id: number }) => p.id === partner.id,
      );
      expect(after.contact).toBe(partner.contact);
    });

    it('refuses text holding control characters (a NUL for a title) with 400 naming the field', async () => {
      const before = await t.http().get('/api/branches').set(auth(admin));
      for (const name of ['\u0000', '刑事\u0007审判庭党支部']) {
        const res = await t.http().post('/api/branches').set(auth(admin)).send({ name }).expect(400);
        expect(res.body.details).toEqual([{ field: 'name', messages: ['name must not contain control characters'] }]);
      }
      const after = await t.http().get('/api/branches').set(auth(admin));
      expect(after.body.length).toBe(before.body.length);
    });

    it('tells a required field left out that it is required, with 400 naming it, and creates nothing', async () => {
      const before = await t.http().get('/api/branches').set(auth(admin));
      const res = await t.http().post('/api/branches').set(auth(admin)).send({}).expect(400);
      expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'name', messages: ['name is required'] }] });
      const after = await t.http().get('/api/branches').set(auth(admin));
      expect(after.body.length).toBe(before.body.length);
    });

    it('refuses a body that is not JSON with 400 VALIDATION_FAILED saying so, with a request id, and creates nothing', async () => {
      const before = await t.http().get('/api/branches').set(auth(admin));
      const res = await sendRaw('post', '/api/branches', '{"name": ', admin).expect(400);
      expect(res.body).toEqual({
        statusCode: 400,
        code: 'VALIDATION_FAILED',
        message: 'The request body is not valid JSON.',
        details: [{ field: 'body', messages: ['the body is not valid JSON'] }],
        requestId: expect.stringMatching(/^[\w.-]{1,64}$/),
      });
      expect(res.headers['x-request-id']).toBe(res.body.requestId);
      const after = await t.http().get('/api/branches').set(auth(admin));
      expect(after.body.length).toBe(before.body.length);
    });

    it('answers a body it cannot read (a charset or Content-Encoding it does not take, a gzip that does not inflate) in its own words, and creates nothing', async () => {
      const before = await t.http().get('/api/branches').set(auth(admin));
      const send = (headers: Record<string, string>, body: string) =>
        t.http().post('/api/branches').set(auth(admin)).set(headers).send(body);
      const latin1 = await send({ 'Content-Type': 'application/json; charset=latin1' }, '{"name":"x"}');
      expect({ status: latin1.status, body: latin1.body }).toEqual({
        status: 415,
        body: {
          statusCode: 415,
          code: 'UNSUPPORTED_MEDIA_TYPE',
          message: 'The request body is written in a way Gongjian does not read.',
          details: [{ field: 'body', messages: ['the body must be written in UTF-8'] }],
          requestId: expect.any(String),
        },
      });
      const zip = await send({ 'Content-Type': 'application/json', 'Content-Encoding': 'zip' }, '{"name":"x"}');
      expect({ status: zip.status, code: zip.body.code, field: zip.body.details?.[0].field }).toEqual({
        status: 415,
        code: 'UNSUPPORTED_MEDIA_TYPE',
        field: 'body',
      });
      const gzip = await send({ 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' }, 'not gzip at all');
      expect({ status: gzip.status, body: gzip.body }).toEqual({
        status: 400,
        body: {
          statusCode: 400,
          code: 'VALIDATION_FAILED',
          message: 'The request body could not be read.',
          details: [{ field: 'body', messages: ['the body does not match its Content-Encoding or Content-Length'] }],
          requestId: expect.any(String),
        },
      });
      const after = await t.http().get('/api/branches').set(auth(admin));
      expect(after.body.length).toBe(before.body.length);
    });

    it('refuses a body sent as text, a form or multipart to a route that takes JSON as not JSON, and creates nothing', async () => {
      const before = await t.http().get('/api/branches').set(auth(admin));
      const sent: [string, string][] = [
        ['text/plain', '{"name":"文本支部"}'],
        ['application/x-www-form-urlencoded', 'name=%E8%A1%A8%E5%8D%95'],
        ['multipart/form-data; boundary=b', '--b\r\nContent-Disposition: form-data; name="name"\r\n\r\nx\r\n--b--\r\n'],
      ];
      for (const [type, body] of sent) {
        const res = await t.http().post('/api/branches').set(auth(admin)).set('Content-Type', type).send(body);
        expect({ type, status: res.status, body: res.body }).toEqual({
          type,
          status: 400,
          body: {
            statusCode: 400,
            code: 'VALIDATION_FAILED',
            message: 'The request body must be JSON.',
            details: [
              {
                field: 'body',
                messages: [`the body must be JSON, sent with Content-Type: application/json; this one was sent as ${type}`],
              },
            ],
            requestId: expect.any(String),
          },
        });
      }
      const after = await t.http().get('/api/branches').set(auth(admin));
      expect(after.body.length).toBe(before.body.length);
      // A request that sends no body at all is not refused for it.
      await t.http().post('/api/notifications/read-all').set(auth(admin)).expect(200);
    });

    it('answers a method no route takes (OPTIONS, TRACE, PROPFIND) as an unknown address, in plain words', async () => {
      for (const method of ['OPTIONS', 'TRACE', 'PROPFIND']) {
        const res = await t.http()[method.toLowerCase() as 'options']('/api/pairings').set(auth(admin));
        expect({ method, status: res.status, code: res.body.code, message: res.body.message }).toEqual({
          method,
          status: 404,
          code: 'NOT_FOUND',
          message: 'There is no such address in the API.',
        });
      }
    });

    it.each([
      ['/api/users', 'displayName'],
      ['/api/users', 'password'],
      ['/api/users', 'roles'],
      ['/api/users', 'active'],
      ['/api/branches', 'name'],
      ['/api/branches', 'active'],
      ['/api/partners', 'name'],
      ['/api/partners', 'kind'],
      ['/api/partners', 'active'],
    ])('refuses PATCH %s/:id with %s: null as a 400 naming the field, never a 500, and changes nothing', async (path, field) => {
      const before = (await t.http().get(path).set(auth(admin)).expect(200)).body;
      const id = before.at(-1).id;
      const res = await t
        .http()
        .patch(`${path}/${id}`)
        .set(auth(admin))
        .send({ [field]: null });
      expect({ status: res.status, code: res.body.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
      expect(res.body.details.map((d: { field: string }) => d.field)).toEqual([field]);
      expect((await t.http().get(path).set(auth(admin)).expect(200)).body).toEqual(before);
    });

    it.each([['/api/users', 'displayName']])(
      'refuses PATCH %s/:id with a blank %s as a 400 naming the field, as creation does, and changes nothing',
      async (path, field) => {
        const before = (await t.http().get(path).set(auth(admin)).expect(200)).body;
        const id = before.at(-1).id;
        for (const blank of ['', '   ']) {
          const res = await t
            .http()
            .patch(`${path}/${id}`)
            .set(auth(admin))
            .send({ [field]: blank });
          expect({ blank, status: res.status, code: res.body.code }).toEqual({ blank, status: 400, code: 'VALIDATION_FAILED' });
          expect(res.body.details.map((d: { field: string }) => d.field)).toEqual([field]);
        }
        expect((await t.http().get(path).set(auth(admin)).expect(200)).body).toEqual(before);
      },
    );

    it('refuses a null password or active in a user change, and a null active in a new user, keeping the old password', async () => {
      const created = await t
        .http()
        .post('/api/users')
        .set(auth(admin))
        .send({ username: 'null-password', displayName: '空密码', password: 'Before@2026', roles: ['leader'] });
      expect(created.status).toBe(201);
      const nullActive = await t
        .http()
        .post('/api/users')
        .set(auth(admin))
        .send({ username: 'null-active', displayName: '空状态', password: 'Before@2026', roles: ['leader'], active: null });
      expect({ status: nullActive.status, fields: nullActive.body.details?.map((d: { field: string }) => d.field) }).toEqual({
        status: 400,
        fields: ['active'],
      });
      const events = async () =>
        (await t.dataSource.query('SELECT COUNT(*) AS n FROM audit_event WHERE type IN (?, ?)', ['USER_CHANGED', 'USER_CREATED']))[0].n;
      const before = Number(await events());
      for (const field of ['password', 'active']) {
        const res = await t
          .http()
          .patch(`/api/users/${created.body.id}`)
          .set(auth(admin))
          .send({ [field]: null });
        expect({ field, status: res.status, fields: res.body.details?.map((d: { field: string }) => d.field) }).toEqual({
          field,
          status: 400,
          fields: [field],
        });
      }
      expect(Number(await events())).toBe(before);
      await t.http().post('/api/auth/login').send({ username: 'null-password', password: 'Before@2026' }).expect(200);
    });

    it('refuses a non-numeric id with 400 and an unknown id with 404', async () => {
      const bad = await t.http().patch('/api/partners/abc').set(auth(admin)).send({ contact: 'x' }).expect(400);
      expect(bad.body).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: [{ field: 'id', messages: [expect.stringContaining('whole number')] }],
      });
      const res = await t.http().patch('/api/partners/99999').set(auth(admin)).send({ contact: 'x' }).expect(404);
      expect(res.body.code).toBe('NOT_FOUND');
    });

    it('refuses an id written other than as the API gives it (07, +7, 7e0, 0x7, 0, -1) with 400, and changes nothing', async () => {
      const partner = (await t.http().get('/api/partners').set(auth(admin)).expect(200)).body[0] as { id: number; contact: string | null };
      const id = partner.id;
      for (const written of [`0${id}`, `+${id}`, `${id}e0`, `0x${id.toString(16)}`, `${id}.0`, '0', '-1', `${id} `]) {
        const res = await t
          .http()
          .patch(`/api/partners/${encodeURIComponent(written)}`)
          .set(auth(admin))
          .send({ contact: '改过的联系人' });
        expect({ written, status: res.status, fields: res.body.details?.map((d: { field: string }) => d.field) }).toEqual({
          written,
          status: 400,
          fields: ['id'],
        });
      }
      const after = (await t.http().get('/api/partners').set(auth(admin)).expect(200)).body.find((p: { id: number }) => p.id === id);
      expect(after.contact).toBe(partner.contact);
    });

    it('refuses an id whose percent-escapes are no character (%ff, half a character, a lone surrogate) with 400 in our shape, and changes nothing', async () => {
      const partner = (await t.http().get('/api/partners').set(auth(admin)).expect(200)).body[0] as { id: number; contact: string | null };
      for (const written of ['%ff', `${partner.id}%E7%AB`, '%ED%A0%80']) {
        const res = await t.http().patch(`/api/partners/${written}`).set(auth(admin)).send({ contact: '改过的联系人' });
        expect({ written, status: res.status, body: res.body }).toEqual({
          written,
          status: 400,
          body: {
            statusCode: 400,
            code: 'VALIDATION_FAILED',
            message: 'The address is not valid.',
            details: [{ field: 'path', messages: ['the address holds a % that does not start a valid character code'] }],
            requestId: expect.any(String),
          },
        });
      }
      const pairing = await t.http().get('/api/pairings/%ff/history').set(auth(admin));
      expect({ status: pairing.status, code: pairing.body.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
      const after = (await t.http().get('/api/partners').set(auth(admin)).expect(200)).body.find(
        (p: { id: number }) => p.id === partner.id,
      );
      expect(after.contact).toBe(partner.contact);
    });

    it('answers a duplicate name with 409 and a code', async () => {
      const branch = await t.http().post('/api/branches').set(auth(admin)).send({ name: '立案庭党支部' }).expect(409);
      expect(branch.body.code).toBe('BRANCH_NAME_TAKEN');
      const partner = await t
        .http()
        .post('/api/partners')
        .set(auth(admin))
        .send({ name: '平湖仲裁委', kind: 'public_institution' })
        .expect(409);
      expect(partner.body.code).toBe('PARTNER_NAME_TAKEN');
      const user = await t
        .http()
        .post('/api/users')
        .set(auth(admin))
        .send({ username: 'committee', displayName: 'x', password: 'Passw0rd!', roles: ['leader'] })
        .expect(409);
      expect(user.body.code).toBe('USERNAME_TAKEN');
      // One name whatever its case: a second `Committee` would sign in as the first, or not at all.
      const users = (await t.http().get('/api/users').set(auth(admin)).expect(200)).body.length;
      expect(users).toBeGreaterThan(0);
      for (const username of ['Committee', 'COMMITTEE']) {
        const again = await t
          .http()
          .post('/api/users')
          .set(auth(admin))
          .send({ username, displayName: 'x', password: 'Passw0rd!', roles: ['leader'] })
          .expect(409);
        expect(again.body.code).toBe('USERNAME_TAKEN');
      }
      expect((await t.http().get('/api/users').set(auth(admin)).expect(200)).body.length).toBe(users);
      const rename = await t.http().patch('/api/branches/2').set(auth(admin)).send({ name: '立案庭党支部' }).expect(409);
      expect(rename.body.code).toBe('BRANCH_NAME_TAKEN');
    });

    it('keeps Chinese names exactly', async () => {
      const name = '平湖市乍浦镇“枫桥式”综治中心党支部（测试）';
      const created = await t
        .http()
        .post('/api/partners')
        .set(auth(admin))
        .send({ name, kind: 'community', contact: '联系人：张三' })
        .expect(201);
      const list = await t.http().get('/api/partners').set(auth(admin)).expect(200);
      expect(list.body.find((p: { id: number }) => p.id === created.body.id)).toEqual({
        id: created.body.id,
        name,
        kind: 'community',
        contact: '联系人：张三',
        active: true,
      });
    });
  });

  describe('audit trail', () => {
    it('refuses UPDATE and DELETE on audit_event in the database itself', async () => {
      const [row] = await t.dataSource.query('SELECT id, type FROM audit_event ORDER BY id LIMIT 1');
      await expect(t.dataSource.query(`UPDATE audit_event SET type = 'TAMPERED' WHERE id = ${row.id}`)).rejects.toThrow(/append-only/);
      await expect(t.dataSource.query(`DELETE FROM audit_event WHERE id = ${row.id}`)).rejects.toThrow(/append-only/);
      const [after] = await t.dataSource.query(`SELECT type FROM audit_event WHERE id = ${row.id}`);
      expect(after.type).toBe(row.type);
    });

    it('refuses INSERT OR REPLACE and upserts that would overwrite an audit event', async () => {
      const [row] = await t.dataSource.query('SELECT * FROM audit_event ORDER BY id LIMIT 1');
      const count = async () => Number((await t.dataSource.query('SELECT COUNT(*) AS n FROM audit_event'))[0].n);
      const before = await count();
      const columns = 'id, chain, seq, at, actor_id, type, from_state, to_state, payload, comment, prev_hash, hash';
      const values = [row.id, row.chain, row.seq, row.at, row.actor_id, 'TAMPERED', null, null, '{}', null, row.prev_hash, row.hash];
      const marks = values.map(() => '?').join(', ');
      const attempts =
        engine === 'sqlite'
          ? [
              `INSERT OR REPLACE INTO audit_event (${columns}) VALUES (${marks})`,
              `REPLACE INTO audit_event (${columns}) VALUES (${marks})`,
              // The same (chain, seq) under a new id.
              `INSERT OR REPLACE INTO audit_event (${columns}) VALUES (${marks.replace('?', '? + 1000000')})`,
              `INSERT INTO audit_event (${columns}) VALUES (${marks}) ON CONFLICT (chain, seq) DO UPDATE SET type = 'TAMPERED'`,
            ]
          : [
              `REPLACE INTO audit_event (${columns}) VALUES (${marks})`,
              `REPLACE INTO audit_event (${columns}) VALUES (${marks.replace('?', '? + 1000000')})`,
              `INSERT INTO audit_event (${columns}) VALUES (${marks}) ON DUPLICATE KEY UPDATE type = 'TAMPERED'`,
            ];
      for (const sql of attempts) await expect(t.dataSource.query(sql, values)).rejects.toThrow(/append-only/);
      const [after] = await t.dataSource.query('SELECT * FROM audit_event WHERE id = ?', [row.id]);
      expect(after).toEqual(row);
      expect(await count()).toBe(before);
    });

    it('links every event of the court’s system chain (system:GJ) into one unbroken hash chain, with logins and admin changes in it', async () => {
      const rows: Record<string, unknown>[] = await t.dataSource.query(
        "SELECT chain, seq, at, actor_id, type, from_state, to_state, payload, comment, prev_hash, hash FROM audit_event WHERE chain = 'system:GJ' ORDER BY seq",
      );
      let prev = GENESIS_HASH;
      rows.forEach((row, index) => {
        expect(Number(row.seq)).toBe(index + 1);
        expect(row.prev_hash).toBe(prev);
        const hash = auditHash({
          chain: row.chain as string,
          seq: Number(row.seq),
          at: row.at as string,
          actorId: row.actor_id as string | null,
          type: row.type as string,
          fromState: row.from_state as string | null,
          toState: row.to_state as string | null,
          payload: row.payload === null ? null : JSON.parse(row.payload as string),
          comment: row.comment as string | null,
          prevHash: row.prev_hash as string,
        });
        expect(row.hash).toBe(hash);
        prev = hash;
      });
      // The system chain records no pairing states (SPEC §7).
      expect(rows.filter((r) => r.from_state !== null || r.to_state !== null)).toEqual([]);
      const types = new Set(rows.map((r) => r.type));
      for (const type of [
        'LOGIN',
        'LOGIN_FAILED',
        'USER_CREATED',
        'USER_CHANGED',
        'BRANCH_CREATED',
        'BRANCH_CHANGED',
        'PARTNER_CREATED',
        'PARTNER_CHANGED',
      ]) {
        expect(types).toContain(type);
      }
      expect(JSON.stringify(rows)).not.toMatch(/Demo@2026|Admin@2026|wrong-password/);
    });

    it('keeps appends to one chain from forking under concurrency', async () => {
      await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          t
            .http()
            .post('/api/auth/login')
            .send({ username: 'auditor', password: i % 2 ? 'Demo@2026' : 'nope' }),
        ),
      );
      const [{ n, maxSeq }] = await t.dataSource.query(
        "SELECT COUNT(*) AS n, MAX(seq) AS maxSeq FROM audit_event WHERE chain = 'system:GJ'",
      );
      expect(Number(maxSeq)).toBe(Number(n));
    });
  });

  it('runs the database as configured: SQLite in WAL mode with foreign keys, MySQL in utf8mb4', async () => {
    if (engine === 'sqlite') {
      const [{ journal_mode }] = await t.dataSource.query('PRAGMA journal_mode');
      const [{ foreign_keys }] = await t.dataSource.query('PRAGMA foreign_keys');
      expect({ journal_mode, foreign_keys }).toEqual({ journal_mode: 'wal', foreign_keys: 1 });
    } else {
      const [row] = await t.dataSource.query('SELECT @@character_set_database AS charset');
      expect(row.charset).toBe('utf8mb4');
    }
    // Either way a dangling reference is refused by the database itself.
    await expect(
      t.dataSource.query(
        "INSERT INTO user (username, display_name, password_hash, roles, branch_id, active, created_at, updated_at) VALUES ('ghost', 'x', 'x', '[]', 99999, 1, 'x', 'x')",
      ),
    ).rejects.toThrow(/foreign key constraint/i);
  });

  it('reports health', async () => {
    const res = await t.http().get('/api/health').expect(200);
    expect(res.body.info.database.status).toBe('up');
  });

  it('serves the OpenAPI document', async () => {
    const res = await t.http().get('/api/docs-json').expect(200);
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining(['/api/auth/login', '/api/users', '/api/branches', '/api/partners']),
    );
    expect(res.body.components.schemas.CreateUserDto.properties.password).toBeDefined();
  });
});
