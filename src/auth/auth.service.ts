import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { JwtService } from '@nestjs/jwt';
import { MoreThan } from 'typeorm';
import { SYSTEM_CHAIN, AuditService } from '../audit/audit.service';
import { DomainError, UnauthenticatedError } from '../common/errors';
import { DatabaseService } from '../database/database.service';
import { publicUser, PublicUser, User } from '../identity/user.entity';
import { LoginFailure } from './login-failure.entity';
import { verifyPassword } from '../identity/password';

const MAX_FAILURES_PER_MINUTE = 10;

@Injectable()
export class AuthService {
  constructor(
    private readonly db: DatabaseService,
    private readonly jwt: JwtService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async login(username: string, password: string, ip: string): Promise<{ accessToken: string; user: PublicUser }> {
    const key = `${ip}|${username.trim().toLowerCase()}`;
    const since = new Date(Date.now() - 60_000).toISOString();
    const failures = await this.db.read((m) => m.count(LoginFailure, { where: { key, at: MoreThan(since) } }));
    if (failures >= MAX_FAILURES_PER_MINUTE) {
      throw new DomainError(429, 'TOO_MANY_REQUESTS', 'Too many failed sign-ins; please wait a minute and try again.');
    }

    const user = await this.db.read((m) =>
      m.createQueryBuilder(User, 'u').addSelect('u.passwordHash').where('u.username = :username', { username: username.trim() }).getOne(),
    );
    const passwordOk = await verifyPassword(password, user?.passwordHash);
    if (!user || !passwordOk || !user.active) {
      const reason = !user ? 'unknown_user' : !passwordOk ? 'wrong_password' : 'inactive';
      await this.db.transaction(async (m) => {
        await m.insert(LoginFailure, { key, at: this.clock.now().toISOString() });
        await this.audit.append(m, {
          chain: SYSTEM_CHAIN,
          actorId: user?.id ?? null,
          type: 'LOGIN_FAILED',
          payload: { username, ip, reason },
        });
      });
      throw new UnauthenticatedError('The username or password is not correct, or the account is not active.');
    }

    await this.db.transaction(async (m) => {
      await m.delete(LoginFailure, { key });
      await this.audit.append(m, { chain: SYSTEM_CHAIN, actorId: user.id, type: 'LOGIN', payload: { username: user.username, ip } });
    });
    const accessToken = await this.jwt.signAsync({ sub: user.id });
    return { accessToken, user: publicUser(user) };
  }
}
