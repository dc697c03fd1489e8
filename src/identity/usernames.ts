import type { EntityManager } from 'typeorm';
import { User } from './user.entity';

/**
 * A username is one name whatever its case: `Admin` signs in as `admin`, and a second `ADMIN` is taken, as the
 * sign-in throttle and the audit search already read them. MySQL's collation compares them so by itself; SQLite
 * would not, so the condition says it on both (usernames are ASCII: letters, digits, dot, dash, underscore).
 */
export const USERNAME_IS = (alias: string) => `LOWER(${alias}.username) = LOWER(:username)`;

/** Whether some user, in any court (usernames are unique in the installation), already has this username. */
export function usernameTaken(m: EntityManager, username: string): Promise<boolean> {
  return m.createQueryBuilder(User, 'u').where(USERNAME_IS('u'), { username }).getExists();
}
