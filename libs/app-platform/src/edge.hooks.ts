import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { controlCharacterProblem } from './json-body.parser';
import { problem } from './problem';
import { sendProblem } from './problem.filter';

/** A percent-encoded C0 control character other than tab, line feed and carriage return (`%00`, `%1B`, …). */
const ENCODED_CONTROL = /%(?:0[0-8bcef]|1[0-9a-f])/i;

const ROUTABLE_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/** Whether the request URL (path or query) holds an encoded control character such as `%00`. */
export function hasEncodedControl(url: string): boolean {
  return url.includes('%') && ENCODED_CONTROL.test(url);
}

/**
 * Answers a request during a graceful shutdown with 503 problem+json (`Connection: close`, so the client's
 * next attempt opens a connection a load balancer can route elsewhere). `isShuttingDown` turns true as soon
 * as the app starts closing, before its shutdown hooks close the database and Redis connections.
 */
export function refuseWhileShuttingDown(fastify: FastifyInstance, isShuttingDown: () => boolean): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    if (!isShuttingDown()) return done();
    void reply
      .header('x-correlation-id', request.id)
      .header('connection', 'close')
      .header('retry-after', '1');
    sendProblem(
      reply,
      request,
      problem(503, 'shutting-down', 'This instance is shutting down; retry the request.'),
    );
  });
}

/** The methods that have a route for `url`'s path (for a 405's `Allow`). */
function allowedMethods(fastify: FastifyInstance, url: string): string[] {
  const path = url.split('?', 1)[0];
  return ROUTABLE_METHODS.filter((method) => {
    try {
      return fastify.findRoute({ method, url: path }) !== null;
    } catch {
      return false;
    }
  });
}

/**
 * Checks every request before routing, parsing or authentication: encoded control characters in the URL
 * (400 control-character: PostgreSQL refuses NUL in text, and no identifier or query of ours holds one),
 * and a path that exists under other methods only (405 with `Allow`, instead of Fastify's 404).
 */
export function guardRequestLine(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done) => {
    if (hasEncodedControl(request.url)) {
      const p = controlCharacterProblem('url').problem;
      sendProblem(reply, request, p);
      return;
    }
    if (request.is404) {
      const allow = allowedMethods(fastify, request.url);
      if (allow.length > 0) {
        void reply.header('allow', allow.join(', '));
        sendProblem(
          reply,
          request,
          problem(
            405,
            'method-not-allowed',
            `${request.method} is not supported here; use ${allow.join(', ')}.`,
            {
              allow,
            },
          ),
        );
        return;
      }
    }
    done();
  });
}
