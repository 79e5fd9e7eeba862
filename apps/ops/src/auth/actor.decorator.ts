import { createParamDecorator, type ExecutionContext } from '@nestjs/common';

/** A request that AdminGuard let through, with the operator's name. */
export interface AdminRequest {
  adminActor?: string;
}

/** The authenticated operator's name (set by AdminGuard), for the audit log. */
export const Actor = createParamDecorator((_data: unknown, context: ExecutionContext): string => {
  const actor = context.switchToHttp().getRequest<AdminRequest>().adminActor;
  // AdminGuard runs before any handler; a missing actor means a route escaped it.
  if (!actor) throw new Error('No authenticated actor on the request: is AdminGuard applied?');
  return actor;
});
