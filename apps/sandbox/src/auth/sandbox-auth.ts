import { type CanActivate, type ExecutionContext, Inject, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ProblemError } from '@stockbridge/app-platform';
import type { FastifyRequest } from 'fastify';
import { BACKENDS, type Backend } from '../faults/faults';
import { NativeError } from '../infra/native-error';
import { SandboxConfig } from '../sandbox.config';
import { authenticated, type NativeCredential, sameSecret } from './native-credentials';

/** Metadata key naming the backend of a native API controller (set by `NativeApi`). */
export const NATIVE_BACKEND = 'sandbox:native-backend';
export const nativeBackend = (backend: Backend) => SetMetadata(NATIVE_BACKEND, backend);

/** The sandbox's credentials: the admin token, each native API's credential, and the refusals counted. */
@Injectable()
export class SandboxAuth {
  readonly credentials: Partial<Record<Backend, NativeCredential>>;
  private readonly refused = Object.fromEntries(BACKENDS.map((b) => [b, 0])) as Record<Backend, number>;

  constructor(@Inject(SandboxConfig) readonly config: SandboxConfig) {
    this.credentials = config.nativeCredentials();
  }

  /** Native calls refused for want of the backend's credential (in memory, this instance). */
  unauthorized(backend: Backend): number {
    return this.refused[backend];
  }

  checkNative(backend: Backend, headers: FastifyRequest['headers']): void {
    const credential = this.credentials[backend];
    if (!credential || authenticated(credential, backend, headers, Date.now())) return;
    this.refused[backend]++;
    const challenge =
      credential.kind === 'basic'
        ? `Basic realm="${backend}"`
        : credential.kind === 'oauth2'
          ? `Bearer realm="${backend}"`
          : `ApiKey header="${credential.header}"`;
    throw new NativeError(
      401,
      { error: 'UNAUTHORIZED', message: `The ${backend} API needs its credential.` },
      { 'www-authenticate': challenge },
    );
  }

  checkAdmin(headers: FastifyRequest['headers']): void {
    const expected = this.config.SANDBOX_ADMIN_TOKEN;
    const header = headers.authorization ?? '';
    const given = header.startsWith('Bearer ') ? header.slice(7) : null;
    // Compared even when nothing was given: the answer takes the same time either way.
    const ok = sameSecret(given ?? '', expected ?? '') && given !== null && expected !== undefined;
    if (!ok)
      throw ProblemError.of(
        401,
        'unauthorized',
        expected === undefined
          ? 'The sandbox admin API is off: set SANDBOX_ADMIN_TOKEN to use it.'
          : 'The sandbox admin API requires SANDBOX_ADMIN_TOKEN as a Bearer token.',
      );
  }
}

/** The admin routes (`/admin/*`) answer only callers presenting SANDBOX_ADMIN_TOKEN. */
@Injectable()
export class SandboxAdminGuard implements CanActivate {
  constructor(@Inject(SandboxAuth) private readonly auth: SandboxAuth) {}

  canActivate(context: ExecutionContext): boolean {
    this.auth.checkAdmin(context.switchToHttp().getRequest<FastifyRequest>().headers);
    return true;
  }
}

/** A native API route answers only callers presenting its backend's credential (when one is configured). */
@Injectable()
export class NativeAuthGuard implements CanActivate {
  constructor(
    @Inject(SandboxAuth) private readonly auth: SandboxAuth,
    private readonly reflector: Reflector,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const backend = this.reflector.get<Backend>(NATIVE_BACKEND, context.getClass());
    this.auth.checkNative(backend, context.switchToHttp().getRequest<FastifyRequest>().headers);
    return true;
  }
}
