import type { User } from '../identity/user.entity';

/** Who may be named a branch's secretary (branch.secretaryUserId): an active secretary who belongs to it. */
export function canBeSecretaryOf(user: Pick<User, 'active' | 'roles' | 'branchId'>, branchId: number): boolean {
  return user.active && user.roles.includes('secretary') && user.branchId === branchId;
}

export const NOT_ELIGIBLE_SECRETARY = 'must be an active user with the secretary role who belongs to this branch';
