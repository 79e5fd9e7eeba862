import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { ProblemError } from '@stockbridge/app-platform';
import type { FastifyReply } from 'fastify';
import { catchError, type Observable, throwError } from 'rxjs';
import { DEFAULT_RETRY_AFTER_SECONDS, UpstreamUnavailableError } from './process-api.client';

/**
 * Every 503 a channel API answers says when to retry: `Retry-After` in seconds, the process API's own
 * figure when it gave one. The header is set here, before the problem filter sends the body.
 */
@Injectable()
export class RetryAfterInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      catchError((err: unknown) => {
        if (err instanceof ProblemError && err.problem.status === 503) {
          const seconds =
            err instanceof UpstreamUnavailableError ? err.retryAfterSeconds : DEFAULT_RETRY_AFTER_SECONDS;
          void context.switchToHttp().getResponse<FastifyReply>().header('retry-after', String(seconds));
        }
        return throwError(() => err);
      }),
    );
  }
}
