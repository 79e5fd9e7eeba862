import { createHash, timingSafeEqual } from 'node:crypto';
import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { EdgeSettings } from '@stockbridge/config';
import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import { ApiProblems } from './api-problems.decorator';
import { problem } from './problem';
import { sendProblem } from './problem.filter';

export const METRICS_PATH = '/metrics';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Whether an Authorization header carries `Bearer <token>`, compared in constant time (any length). */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const given = header?.startsWith('Bearer ') ? header.slice(7) : '';
  // Hashing first gives equal-length buffers, so neither the comparison nor its length check leaks the token.
  return timingSafeEqual(digest(given), digest(token)) && given.length > 0;
}

/**
 * The METRICS and METRICS_TOKEN switches: /metrics answers 404 when metrics are off, and 401 without
 * `Authorization: Bearer <METRICS_TOKEN>` when a token is set. Checked before the route's handler, for the
 * route itself (not for paths that merely start with it).
 */
export function guardMetrics(
  fastify: FastifyInstance,
  edge: Pick<EdgeSettings, 'metrics' | 'metricsToken'>,
): void {
  if (edge.metrics && !edge.metricsToken) return;
  fastify.addHook('onRequest', (request, reply, done) => {
    if (request.routeOptions.url !== METRICS_PATH) return done();
    if (!edge.metrics) {
      sendProblem(reply, request, problem(404, 'not-found', 'No such resource.'));
      return;
    }
    if (edge.metricsToken && !bearerMatches(request.headers.authorization, edge.metricsToken)) {
      void reply.header('www-authenticate', 'Bearer realm="metrics"');
      sendProblem(
        reply,
        request,
        problem(401, 'unauthorized', 'The metrics require the metrics token as a Bearer token.'),
      );
      return;
    }
    done();
  });
}

/** One Prometheus registry per app process. */
export class Metrics {
  readonly registry = new Registry();
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;

  constructor(app: string) {
    this.registry.setDefaultLabels({ app });
    collectDefaultMetrics({ register: this.registry });
    this.httpDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request latency by route',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [this.registry],
    });
  }

  counter<L extends string>(name: string, help: string, labelNames: L[]): Counter<L> {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  histogram<L extends string>(name: string, help: string, labelNames: L[], buckets?: number[]): Histogram<L> {
    return new Histogram({ name, help, labelNames, buckets, registers: [this.registry] });
  }

  /** Times every request by its route pattern (never the raw URL, which would explode cardinality). */
  instrument(fastify: FastifyInstance): void {
    fastify.addHook('onResponse', (request, reply, done) => {
      const route = request.routeOptions?.url ?? 'unmatched';
      this.httpDuration.observe(
        { method: request.method, route, status: String(reply.statusCode) },
        reply.elapsedTime / 1000,
      );
      done();
    });
  }
}

@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: Metrics) {}

  @Get()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiOperation({
    operationId: 'getMetrics',
    summary: 'Prometheus metrics of this process',
    description:
      'For the monitoring scraper. Served when METRICS is on; when METRICS_TOKEN is set it needs ' +
      '`Authorization: Bearer <METRICS_TOKEN>` (a credential of its own, not the API key or service token).',
    security: [],
  })
  @ApiProblems(
    [401, 'METRICS_TOKEN is set and the request does not carry it'],
    [404, 'Metrics are switched off (METRICS=false)'],
  )
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Metrics in the Prometheus text format', schema: { type: 'string' } })
  async scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
