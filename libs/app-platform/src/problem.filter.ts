import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { problem, type Problem, PROBLEM_CONTENT_TYPE, ProblemError, type ProblemMapper } from './problem';
import { isDependencyUnavailable, retryAfterHeader, serviceUnavailable } from './unavailable';

const log = new Logger('ProblemFilter');

/** Fastify's own errors (body parsing, limits, content types) in problem form, without leaking internals. */
export function fastifyProblem(error: {
  statusCode?: number;
  code?: string;
  message?: string;
}): Problem | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return problem(400, 'malformed-json', 'The request body is not valid JSON.');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return problem(413, 'body-too-large', 'The request body is larger than the limit of this API.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return problem(415, 'unsupported-media-type', 'Send the request body as application/json.');
    case 'FST_ERR_CTP_EMPTY_TYPE':
    case 'FST_ERR_CTP_INVALID_TYPE':
      return problem(415, 'unsupported-media-type', 'Send the request body as application/json.');
    default:
      break;
  }
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return problem(error.statusCode, 'bad-request', 'The request could not be processed.');
  }
  return undefined;
}

export function toProblem(error: unknown, mappers: ProblemMapper[]): Problem {
  if (error instanceof ProblemError) return error.problem;
  for (const m of mappers) {
    const mapped = m.map(error);
    if (mapped) return mapped;
  }
  // PostgreSQL or Redis restarting or failing over: retryable, not an internal error.
  if (isDependencyUnavailable(error)) return serviceUnavailable();
  if (error instanceof HttpException) {
    // Nest wraps Fastify's own errors (body parsing, limits) in an HttpException; map the original.
    const fromFastify = error.cause
      ? fastifyProblem(error.cause as { statusCode?: number; code?: string })
      : undefined;
    if (fromFastify) return fromFastify;
    const status = error.getStatus();
    const response = error.getResponse();
    if (
      status === 400 &&
      typeof response === 'object' &&
      response &&
      Array.isArray((response as { message?: unknown }).message)
    ) {
      const errors = (response as { message: string[] }).message;
      return problem(400, 'validation-failed', errors.join('; '), { errors });
    }
    if (status === 404) return problem(404, 'not-found', 'No such resource.');
    const detail =
      typeof response === 'string' ? response : ((response as { message?: string }).message ?? error.message);
    return problem(status, status === 400 ? 'bad-request' : `http-${status}`, String(detail));
  }
  const fromFastify = fastifyProblem(error as { statusCode?: number; code?: string });
  if (fromFastify) return fromFastify;
  return problem(
    500,
    'internal-error',
    "An unexpected error occurred; it has been logged with this request's correlation id.",
  );
}

export function sendProblem(reply: FastifyReply, request: FastifyRequest, p: Problem, error?: unknown): void {
  const replayable = error instanceof ProblemError && error.replayable;
  const body: Problem = replayable ? p : { ...p, instance: request.id };
  // A dependency that is away (PostgreSQL or Redis restarting) is expected and retryable: a warning, not an error.
  if (p.status === 503 && p.type.endsWith('/service-unavailable'))
    log.warn({ correlationId: request.id, url: request.url }, 'dependency unavailable');
  else if (p.status >= 500)
    log.error({ err: error, correlationId: request.id, url: request.url }, 'request failed');
  const retryAfter = retryAfterHeader(p);
  if (retryAfter) void reply.header('retry-after', retryAfter);
  void reply.status(p.status).header('content-type', PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
}

/** One filter per app: every error leaves as application/problem+json, never with a stack or driver text. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  constructor(private readonly mappers: ProblemMapper[]) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const reply = ctx.getResponse<FastifyReply>();
    const request = ctx.getRequest<FastifyRequest>();
    sendProblem(reply, request, toProblem(exception, this.mappers), exception);
  }
}
