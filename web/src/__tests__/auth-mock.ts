import { vi } from 'vitest';
import type { User } from '../api/types';

/**
 * `../auth` as it is with `user` signed in, for `vi.mock`, whose factory is hoisted above the file's imports:
 * `vi.mock('../auth', async () => (await import('./auth-mock')).signedInAs({ … }))`.
 */
export function signedInAs(user: User) {
  return {
    useAuth: () => ({
      user,
      loading: false,
      ended: null,
      lastUsername: null,
      hasRole: (...roles: string[]) => roles.some((role) => user.roles.includes(role)),
      login: vi.fn(),
      logout: vi.fn(),
    }),
  };
}
