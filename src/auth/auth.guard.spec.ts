import { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { UnauthenticatedError } from '../common/errors';
import type { CourtScopes } from '../identity/court-scopes';
import type { User } from '../identity/user.entity';
import { AuthGuard } from './auth.guard';
import type { UserReader } from './user-reader';

/** The guard with a real JwtService, the user read from a map, one court. */
describe(AuthGuard.name, () => {
  const T0 = Date.parse('2026-12-01T08:00:00.000Z');
  const jwt = new JwtService({ secret: 'x'.repeat(32), signOptions: { algorithm: 'HS256' }, verifyOptions: { algorithms: ['HS256'] } });
  const users = new Map<number, Partial<User>>();
  const reader = { byId: async (id: number) => users.get(id) ?? null } as unknown as UserReader;
  const scopes = { resolve: async () => ({ scope: {}, reach: {} }) } as unknown as CourtScopes;
  const guard = new AuthGuard(new Reflector(), jwt, reader, scopes);
  let now: number;

  const context = (token: string) => {
    const request = { headers: { authorization: `Bearer ${token}` }, query: {} };
    const handler = () => undefined;
    return {
      getHandler: () => handler,
      getClass: () => AuthGuard,
      switchToHttp: () => ({ getRequest: () => request }),
    } as unknown as ExecutionContext;
  };
  const sign = (exp: number, sub = '5') => jwt.sign({ sub, ver: 0, iat: Math.floor(now / 1000), exp: Math.floor(exp / 1000) });

  beforeEach(() => {
    now = T0;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    users.set(5, { id: 5, active: true, tokenVersion: 0, roles: ['secretary'], courtId: 1 });
  });
  afterEach(() => jest.restoreAllMocks());

  it('checks a token’s signature once, and still reads the user on every request', async () => {
    const token = sign(T0 + 3_600_000);
    const verify = jest.spyOn(jwt, 'verifyAsync');
    expect(await guard.canActivate(context(token))).toBe(true);
    expect(await guard.canActivate(context(token))).toBe(true);
    expect(verify).toHaveBeenCalledTimes(1);

    users.set(5, { ...users.get(5), active: false });
    await expect(guard.canActivate(context(token))).rejects.toBeInstanceOf(UnauthenticatedError);
  });

  it('refuses a token it verified once its time is up', async () => {
    const token = sign(T0 + 60_000);
    expect(await guard.canActivate(context(token))).toBe(true);
    now = T0 + 60_000;
    await expect(guard.canActivate(context(token))).rejects.toThrow('Your sign-in has expired');
  });

  it('refuses a token whose signature is altered, even after the genuine one was verified', async () => {
    const token = sign(T0 + 3_600_000);
    expect(await guard.canActivate(context(token))).toBe(true);
    const forged = token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA');
    await expect(guard.canActivate(context(forged))).rejects.toThrow('Your sign-in has expired');
  });
});
