import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { CourtScope } from './court-scope';

/** The request's court scope, resolved once by the auth guard from the signed-in user. */
export const Scope = createParamDecorator((_: unknown, ctx: ExecutionContext): CourtScope => {
  const request = ctx.switchToHttp().getRequest();
  if (!request.scope) throw new Error('no court scope on this request: the route is public');
  return request.scope as CourtScope;
});
