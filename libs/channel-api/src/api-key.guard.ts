import { type CanActivate, type ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { ApiClient } from '@stockbridge/api-keys';
import { ProblemError } from '@stockbridge/app-platform';
import type { ApiScope } from '@stockbridge/canonical';
import type { FastifyRequest } from 'fastify';

const SCOPE = 'stockbridge:scope';
const STORE_PARAM = 'stockbridge:store-param';

/** The scope an operation requires of the calling API key. */
export const RequiresScope = (scope: ApiScope) => SetMetadata(SCOPE, scope);

/**
 * The operation acts for the store named by the path parameter `param`: only a key bound to that store may
 * call it (a key of another store, or of none, is 403 `forbidden`).
 */
export const ActsForStore = (param = 'store') => SetMetadata(STORE_PARAM, param);

export type AuthenticatedRequest = FastifyRequest & { client: ApiClient };

/**
 * Checks the operation's scope, and for a store's operation the key's store, against the API key that ApiKeyGate
 * authenticated before the body was read (the key is never looked up twice).
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest & { client?: ApiClient | null }>();
    const client = request.client;
    // Only when the gate is not installed (an app built without its build function): refuse, never let through.
    if (!client)
      throw ProblemError.of(401, 'unauthorized', 'Send your API key as "Authorization: Bearer <key>".');
    const storeParam = this.reflector.getAllAndOverride<string | undefined>(STORE_PARAM, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (storeParam !== undefined) {
      const store = (request.params as Record<string, string | undefined>)[storeParam];
      if (client.store === null)
        throw ProblemError.of(
          403,
          'forbidden',
          'This API key is not bound to a store; a store’s operations need a key issued for that store.',
        );
      if (store !== client.store)
        throw ProblemError.of(
          403,
          'forbidden',
          `This API key is bound to store "${client.store}"; it cannot act for another store.`,
          { store: client.store },
        );
    }
    const scope = this.reflector.get<ApiScope | undefined>(SCOPE, context.getHandler());
    if (scope && !client.scopes.includes(scope)) {
      throw ProblemError.of(403, 'forbidden', `This API key lacks the "${scope}" scope.`, {
        requiredScope: scope,
      });
    }
    return true;
  }
}
