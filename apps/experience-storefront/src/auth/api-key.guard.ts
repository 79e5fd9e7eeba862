import { type CanActivate, type ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { type ApiClient, ApiClients } from '@stockbridge/api-clients';
import type { ApiScope } from '@stockbridge/canonical';
import { ProblemError } from '@stockbridge/http';
import type { FastifyRequest } from 'fastify';

const SCOPE = 'stockbridge:scope';

/** The scope an operation requires of the calling API key. */
export const RequiresScope = (scope: ApiScope) => SetMetadata(SCOPE, scope);

export type AuthenticatedRequest = FastifyRequest & { client: ApiClient };

/** Authenticates `Authorization: Bearer <api key>` and checks the operation's scope. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly clients: ApiClients,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    if (!header || !header.startsWith('Bearer ') || header.length < 8 || header.length > 512) {
      throw ProblemError.of(401, 'unauthorized', 'Send your API key as "Authorization: Bearer <key>".');
    }
    const client = await this.clients.verify(header.slice(7).trim());
    if (!client) throw ProblemError.of(401, 'unauthorized', 'The API key is unknown or revoked.');
    const scope = this.reflector.get<ApiScope | undefined>(SCOPE, context.getHandler());
    if (scope && !client.scopes.includes(scope)) {
      throw ProblemError.of(403, 'forbidden', `This API key lacks the "${scope}" scope.`, {
        requiredScope: scope,
      });
    }
    request.client = client;
    return true;
  }
}
