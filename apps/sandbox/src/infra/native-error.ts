import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';

/**
 * An answer in a backend's own error format (`{"error":"UNKNOWN_ITEM",...}`), not problem+json: the
 * sandbox plays foreign systems, and the system adapters must cope with their shapes.
 */
export class NativeError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(String(body.message ?? body.error));
    this.name = 'NativeError';
  }
}

/** Sends NativeErrors as they are; every other error goes on to the app's problem+json filter. */
@Catch(NativeError)
export class NativeErrorFilter implements ExceptionFilter {
  catch(error: NativeError, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    // A request that hung until its client left has nobody to answer.
    if (reply.raw.destroyed || reply.sent) return;
    void reply.status(error.status).headers(error.headers).send(error.body);
  }
}
