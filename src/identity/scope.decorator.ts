import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { CourtScope } from './court-scope';

/** The request's court scope for lists and reports, resolved once by the auth guard (narrowed or widened by `courtId=`). */
export const Scope = createParamDecorator((_: unknown, ctx: ExecutionContext): CourtScope => {
  const request = ctx.switchToHttp().getRequest();
  if (!request.scope) throw new Error('no court scope on this request: the route is public');
  return request.scope as CourtScope;
});

/** Everything the request's user may read, for reading one row by id (a supervisor: their courts and those below). */
export const Reach = createParamDecorator((_: unknown, ctx: ExecutionContext): CourtScope => {
  const request = ctx.switchToHttp().getRequest();
  if (!request.reach) throw new Error('no court reach on this request: the route is public');
  return request.reach as CourtScope;
});
