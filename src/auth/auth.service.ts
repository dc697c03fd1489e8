import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { SYSTEM_CHAIN, AuditService } from '../audit/audit.service';
import { Court } from '../identity/court.entity';
import { UnauthenticatedError } from '../common/errors';
import { DatabaseService } from '../database/database.service';
import { publicUser, PublicUser, User } from '../identity/user.entity';
import { verifyPassword } from '../identity/password';
import { LoginThrottle } from './login-throttle';
import { TokenClaims } from './token-claims';
import { USERNAME_IS } from '../identity/usernames';

@Injectable()
export class AuthService {
  constructor(
    private readonly db: DatabaseService,
    private readonly jwt: JwtService,
    private readonly audit: AuditService,
    private readonly throttle: LoginThrottle,
  ) {}

  async login(username: string, password: string, ip: string): Promise<{ accessToken: string; user: PublicUser }> {
    await this.throttle.check(username, ip);

    const user = await this.db.read((m) =>
      m.createQueryBuilder(User, 'u').addSelect('u.passwordHash').where(USERNAME_IS('u'), { username: username.trim() }).getOne(),
    );
    const passwordOk = await verifyPassword(password, user?.passwordHash);
    if (!user || !passwordOk || !user.active) {
      const reason = !user ? 'unknown_user' : !passwordOk ? 'wrong_password' : 'inactive';
      await this.db.transaction(async (m) => {
        await this.throttle.recordFailure(m, username, ip);
        // A known user's failures go to their court's chain; a name nobody has, to the platform's.
        const failed = { actorId: user?.id ?? null, type: 'LOGIN_FAILED', payload: { username, ip, reason } };
        if (user) await this.audit.appendForCourt(m, user.courtId, failed);
        else await this.audit.append(m, { chain: SYSTEM_CHAIN, ...failed });
      });
      throw new UnauthenticatedError('The username or password is not correct, or the account is not active.');
    }

    await this.db.transaction(async (m) => {
      await this.throttle.recordSuccess(m, username);
      await this.audit.appendForCourt(m, user.courtId, { actorId: user.id, type: 'LOGIN', payload: { username: user.username, ip } });
    });
    // A password change, deactivation or change of roles or branch bumps the version: the token stops working.
    const claims: Pick<TokenClaims, 'sub' | 'ver'> = { sub: String(user.id), ver: user.tokenVersion };
    const accessToken = await this.jwt.signAsync(claims);
    return { accessToken, user: publicUser(user) };
  }

  /** The signed-in user with the court they are in, so every screen can say which court it shows. */
  async me(user: User) {
    const court = await this.db.read((m) => m.findOne(Court, { where: { id: user.courtId } }));
    return {
      ...publicUser(user),
      court: court && { id: court.id, code: court.code, name: court.name, parentCourtId: court.parentCourtId },
    };
  }
}
