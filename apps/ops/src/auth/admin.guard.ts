import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { OPERATIONS_CONTROLLERS, ProblemError } from '@stockbridge/app-platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AdminRequest } from './actor.decorator';
import { AdminCredentials } from './admin-credentials';

export const ADMIN_REALM = 'stockbridge-ops';

/** The 401 every unauthenticated control-plane request gets (problem+json). */
export function unauthorized(): ProblemError {
  return ProblemError.of(
    401,
    'unauthorized',
    'The control plane requires an admin token: "Authorization: Bearer <token>", or HTTP Basic with your name and token.',
  );
}

/**
 * Applied to every controller of the app (APP_GUARD), so a new controller is protected without anyone
 * remembering to; only the health and metrics endpoints every app serves stay open for probes and scrapers.
 */
@Injectable()
export class AdminGuard implements CanActivate {
  private readonly open = new Set<unknown>(OPERATIONS_CONTROLLERS);

  constructor(private readonly credentials: AdminCredentials) {}

  canActivate(context: ExecutionContext): boolean {
    if (this.open.has(context.getClass())) return true;
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest & AdminRequest>();
    const actor = this.credentials.authenticate(request.headers.authorization);
    if (actor === null) {
      void http.getResponse<FastifyReply>().header('www-authenticate', `Bearer realm="${ADMIN_REALM}"`);
      throw unauthorized();
    }
    request.adminActor = actor;
    return true;
  }
}
