import { timingSafeEqual } from 'node:crypto';
import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ProblemError } from './problem';

/** The shared secret the platform's layers present to each other's internal APIs (provide it per app). */
export class ServiceToken {
  constructor(readonly value: string) {}
}

/** Internal endpoints answer only callers that present the service token. */
@Injectable()
export class ServiceTokenGuard implements CanActivate {
  private readonly expected: Buffer;

  constructor(token: ServiceToken) {
    this.expected = Buffer.from(token.value);
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const header = request.headers.authorization ?? '';
    const given = Buffer.from(header.startsWith('Bearer ') ? header.slice(7) : '');
    // Length check first: timingSafeEqual throws on buffers of different length.
    if (given.length !== this.expected.length || !timingSafeEqual(given, this.expected)) {
      throw ProblemError.of(
        401,
        'unauthorized',
        'This internal API requires the service token as a Bearer token.',
      );
    }
    return true;
  }
}
