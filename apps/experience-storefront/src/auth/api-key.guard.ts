import { type CanActivate, type ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { ApiClient } from '@stockbridge/api-keys';
import type { ApiScope } from '@stockbridge/canonical';
import { ProblemError } from '@stockbridge/app-platform';
import type { FastifyRequest } from 'fastify';

const SCOPE = 'stockbridge:scope';

/** The scope an operation requires of the calling API key. */
export const RequiresScope = (scope: ApiScope) => SetMetadata(SCOPE, scope);

export type AuthenticatedRequest = FastifyRequest & { client: ApiClient };

/**
 * Checks the operation's scope against the API key that RequestGate authenticated before the body was read
 * (the key is never looked up twice).
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest & { client?: ApiClient | null }>();
    const client = request.client;
    // Only when the gate is not installed (an app built without buildStorefrontApp): refuse, never let through.
    if (!client)
      throw ProblemError.of(401, 'unauthorized', 'Send your API key as "Authorization: Bearer <key>".');
    const scope = this.reflector.get<ApiScope | undefined>(SCOPE, context.getHandler());
    if (scope && !client.scopes.includes(scope)) {
      throw ProblemError.of(403, 'forbidden', `This API key lacks the "${scope}" scope.`, {
        requiredScope: scope,
      });
    }
    return true;
  }
}
