import { Inject, Injectable } from '@nestjs/common';
import { EntityManager, LessThan } from 'typeorm';
import { Clock } from '../common/clock';
import { TooManyRequestsError } from '../common/errors';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { DatabaseService } from '../database/database.service';
import { LoginFailure } from './login-failure.entity';

/**
 * Failed sign-ins, counted per username (whoever sends them) and per client address (whatever usernames
 * they try, unknown ones too) over the last minute. Counted in the database, so every API process sees the
 * same numbers and a restart forgets nothing. Only failures count: a court's staff behind one address
 * signing in at nine o'clock are never held up by each other.
 */
@Injectable()
export class LoginThrottle {
  constructor(
    private readonly db: DatabaseService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Refuses with 429 and Retry-After while either counter is at its limit; even the right password waits. */
  async check(username: string, ip: string): Promise<void> {
    const { windowMs } = this.config.loginThrottle;
    const now = this.clock.now().getTime();
    const since = new Date(now - windowMs).toISOString();
    const counts: { key: string; n: number | string; oldest: string }[] = await this.db.read((m) =>
      m
        .createQueryBuilder(LoginFailure, 'f')
        .select('f.key', 'key')
        .addSelect('COUNT(*)', 'n')
        .addSelect('MIN(f.at)', 'oldest')
        .where('f.key IN (:...keys)', { keys: [userKey(username), ipKey(ip)] })
        .andWhere('f.at > :since', { since })
        .groupBy('f.key')
        .getRawMany(),
    );
    const over = counts.filter((c) => Number(c.n) >= this.limitOf(c.key));
    if (!over.length) return;
    const until = Math.max(...over.map((c) => Date.parse(c.oldest) + windowMs));
    throw new TooManyRequestsError(
      'Too many failed sign-ins; please wait a minute and try again.',
      Math.max(1, Math.ceil((until - now) / 1000)),
    );
  }

  /** Counts a failure against both the username and the address, inside the caller's transaction. */
  async recordFailure(m: EntityManager, username: string, ip: string): Promise<void> {
    const now = this.clock.now();
    await m.delete(LoginFailure, { at: LessThan(new Date(now.getTime() - this.config.loginThrottle.windowMs).toISOString()) });
    const at = now.toISOString();
    await m.insert(LoginFailure, [
      { key: userKey(username), at },
      { key: ipKey(ip), at },
    ]);
  }

  /** A right password clears the username's count (not the address's: one valid account must not reset a spray). */
  async recordSuccess(m: EntityManager, username: string): Promise<void> {
    await m.delete(LoginFailure, { key: userKey(username) });
  }

  private limitOf(key: string): number {
    return key.startsWith('user:') ? this.config.loginThrottle.perUsername : this.config.loginThrottle.perIp;
  }
}

const userKey = (username: string) => `user:${username.trim().toLowerCase()}`;
const ipKey = (ip: string) => `ip:${ip.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '')}`;
