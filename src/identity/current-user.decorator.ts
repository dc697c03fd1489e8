import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { User } from './user.entity';

export type RequestUser = Pick<User, 'id' | 'username' | 'displayName' | 'roles' | 'courtId' | 'branchId' | 'partnerId' | 'active'>;

export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): RequestUser => ctx.switchToHttp().getRequest().user);

export const hasRole = (user: RequestUser, ...roles: RequestUser['roles']) => roles.some((role) => user.roles.includes(role));
