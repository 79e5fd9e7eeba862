import {
  applyDecorators,
  type CanActivate,
  type ExecutionContext,
  Injectable,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiExtraModels, ApiResponse, ApiSecurity, getSchemaPath } from '@nestjs/swagger';
import { ProblemView } from '@stockbridge/app-platform';
import type { FastifyReply } from 'fastify';
import { NATIVE_BACKEND, NativeAuthGuard, nativeBackend } from '../auth/sandbox-auth';
import { NativeError, NativeErrorFilter } from '../infra/native-error';
import { NativeErrorView } from '../infra/paging.dto';
import type { Backend } from './faults';
import { FaultInjector } from './fault-injector.service';

/** Runs the backend's faults before a native route's handler (after body parsing, before validation). */
@Injectable()
export class FaultGuard implements CanActivate {
  constructor(
    private readonly faults: FaultInjector,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const backend = this.reflector.get<Backend>(NATIVE_BACKEND, context.getClass());
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const answer = await this.faults.apply(backend, reply.raw);
    if (answer) throw new NativeError(answer.status, answer.body, answer.headers);
    return true;
  }
}

const nativeError = (status: number, description: string) =>
  ApiResponse({ status, description, schema: { $ref: getSchemaPath(NativeErrorView) } });

/**
 * Marks a controller as one backend's native API: its credential is checked (when SANDBOX_<BACKEND>_AUTH sets
 * one), then its faults apply; its errors leave in the backend's own format, and the answers are documented.
 */
export function NativeApi(backend: Backend) {
  return applyDecorators(
    nativeBackend(backend),
    UseGuards(NativeAuthGuard, FaultGuard),
    // Alternatives: none, or the one the sandbox's configuration sets for this backend.
    ApiSecurity({}),
    ApiSecurity('nativeApiKey'),
    ApiSecurity('basic'),
    ApiSecurity('nativeOAuth2'),
    UseFilters(NativeErrorFilter),
    ApiExtraModels(NativeErrorView, ProblemView),
    nativeError(
      401,
      "`UNAUTHORIZED`: the backend's credential is missing or wrong (when SANDBOX_<BACKEND>_AUTH sets one)",
    ),
    nativeError(429, 'Fault injection: rate limited (`RATE_LIMITED`, with Retry-After)'),
    nativeError(500, 'Fault injection: `INTERNAL`'),
    nativeError(503, 'Fault injection: outage (`SERVICE_UNAVAILABLE`)'),
    nativeError(504, 'Fault injection: the request hung, then `GATEWAY_TIMEOUT`'),
  );
}
