import { SetMetadata } from '@nestjs/common';
import type { Role } from './user.entity';

export const ROLES_KEY = 'gongjian:roles';
export const PUBLIC_KEY = 'gongjian:public';

/** Only users holding one of these roles may call the route. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** The route needs no sign-in (login, health). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);
