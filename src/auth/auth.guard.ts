import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { ForbiddenError, UnauthenticatedError } from '../common/errors';
import { LruMap } from '../common/lru';
import { CourtScopes } from '../identity/court-scopes';
import type { Role } from '../identity/user.entity';
import { PUBLIC_KEY, ROLES_KEY } from '../identity/roles.decorator';
import { readClaims } from './token-claims';
import { UserReader } from './user-reader';

/**
 * Authenticates every request (unless @Public) and checks @Roles. The user is re-read from the
 * database each time (one read), so a deactivation, a change of roles or a new password — each bumps the
 * user's token version — takes effect on the very next request.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  /** Tokens this process has verified, until they expire: a token's signature is checked once, not per request. */
  private readonly verified = new LruMap<string, NonNullable<ReturnType<typeof readClaims>>>(10_000);

  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
    private readonly users: UserReader,
    private readonly scopes: CourtScopes,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;

    const request = context.switchToHttp().getRequest();
    const header: string = request.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
    if (!token) throw new UnauthenticatedError();
    const claims = await this.verify(token);
    if (!claims) throw new UnauthenticatedError('Your sign-in has expired or is not valid; please sign in again.');
    const user = await this.users.byId(claims.userId);
    if (!user || !user.active) throw new UnauthenticatedError('This account is not active; please sign in again.');
    if (user.tokenVersion !== claims.version) {
      throw new UnauthenticatedError('Your password or rights have changed since you signed in; please sign in again.');
    }
    request.user = user;

    const required = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (required?.length && !required.some((role) => user.roles.includes(role))) {
      throw new ForbiddenError('Your role does not allow this.');
    }
    // Every court-owned row this request reads is filtered by these (§11); writes go to the user's own court.
    Object.assign(request, await this.scopes.resolve(user, request.query?.courtId));
    return true;
  }

  private async verify(token: string) {
    const known = this.verified.get(token);
    if (known && known.expiresAtMs > Date.now()) return known;
    const claims = readClaims(await this.jwt.verifyAsync(token).catch(() => null));
    if (claims) this.verified.set(token, claims);
    else this.verified.delete(token);
    return claims;
  }
}
