import { hasRole, type RequestUser } from '../identity/current-user.decorator';

/**
 * Good practices are for every member of staff to read (SPEC §14): any active signed-in user, but one who holds only
 * `platform_admin`, whose role by itself sees no workflow data (SPEC §11).
 */
export function mayReadPractices(user: RequestUser): boolean {
  return user.active && user.roles.some((role) => role !== 'platform_admin');
}

/** Withdrawn practices stay readable to those who keep watch over what was published. */
export function maySeeWithdrawn(user: RequestUser): boolean {
  return hasRole(user, 'committee', 'auditor', 'leader');
}

const PHOTO_TYPES = new Set(['image/jpeg', 'image/png']);

export const isPhoto = (mime: string) => PHOTO_TYPES.has(mime);
