import { randomUUID } from 'node:crypto';
import helmet from '@fastify/helmet';
import { type DynamicModule, type Type, ValidationPipe } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { Logger as PinoLogger } from 'nestjs-pino';
import { CommonConfig, type EdgeSettings } from '@stockbridge/config';
import { clientErrorHandler, frameworkErrorHandler } from './client-error.handler';
import { guardRequestLine, refuseWhileShuttingDown } from './edge.hooks';
import { jsonBodyParser } from './json-body.parser';
import { guardMetrics, Metrics } from './metrics';
import { ProblemMapper } from './problem';
import { problem } from './problem';
import { ProblemFilter, sendProblem } from './problem.filter';
import { openApiDocument, type OpenApiOptions } from './openapi-document';

const CORRELATION_HEADER = 'x-correlation-id';
const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export interface AppSpec {
  /** The app's name: log field, metrics label, OpenAPI title. */
  name: string;
  title: string;
  description: string;
  version: string;
  bodyLimit: number;
  /** How clients authenticate, for the OpenAPI document. */
  auth: { scheme: 'bearer'; description: string };
  /** Maps the app's own error types to problems. */
  problemMappers?: ProblemMapper[];
  /** Loads the @nestjs/swagger plugin metadata generated from the DTOs (apps/<app>/src/metadata.ts). */
  swaggerMetadata?: () => Promise<Record<string, unknown>>;
  /** Leaves out pino (for the OpenAPI generator). */
  quiet?: boolean;
  /** Keeps each request's raw body bytes as `request.rawBody` (webhook signatures are over the raw bytes). */
  rawBody?: boolean;
  /** What the app serves at its edge (docs, metrics) and how deep its JSON bodies may nest: `config.edge()`. */
  edge: EdgeSettings;
  /** How the OpenAPI document presents the app to partners (servers, tags, excluded paths, rate-limit headers). */
  openApi?: OpenApiOptions;
}

/** Knows when the app has begun to close: Nest calls beforeClose() before the shutdown hooks run. */
class EdgeFastifyAdapter extends FastifyAdapter {
  shuttingDown = false;

  override beforeClose(): void {
    this.shuttingDown = true;
    super.beforeClose();
  }

  override async close(): Promise<void> {
    this.shuttingDown = true;
    await super.close();
  }
}

let watchdogInstalled = false;

/**
 * Bounds a graceful shutdown: once SIGTERM or SIGINT arrives, the process exits with status 1 if the shutdown
 * hooks have not finished within `ms` (a BullMQ worker whose Redis connection was cut can fail to close, see
 * docs/operations.md "Known issues"). Nothing is lost by exiting: the outbox, the inbox and idempotency keys
 * make the work that was in flight safe to redo. A process-level concern: each app's main.ts installs it once
 * (apps built in-process by tests do not).
 */
export function installShutdownWatchdog(ms = 20_000): void {
  if (watchdogInstalled) return;
  watchdogInstalled = true;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      setTimeout(() => {
        process.stderr.write(
          `${JSON.stringify({ level: 50, time: Date.now(), msg: `graceful shutdown did not finish within ${ms} ms; exiting` })}\n`,
        );
        process.exit(1);
      }, ms).unref();
    });
  }
}

/**
 * Builds an app the same way for every layer: Fastify, helmet, correlation ids, problem+json for every
 * error (including those Node and Fastify answer before Nest: malformed requests, oversized headers or URIs,
 * bad URLs, unknown routes and methods, shutdown), JSON bodies checked for depth and control characters
 * before they are parsed, strict validation, metrics, and Swagger at /docs (each behind its switch).
 */
export async function createApp(
  module: Type<unknown> | DynamicModule,
  spec: AppSpec,
): Promise<NestFastifyApplication> {
  // Untyped callers (plain JavaScript) get the documented defaults.
  const edge: EdgeSettings = spec.edge ?? new CommonConfig().edge();
  const adapter = new EdgeFastifyAdapter({
    bodyLimit: spec.bodyLimit,
    requestIdHeader: false,
    genReqId: (req: IncomingMessage) => {
      const given = req.headers[CORRELATION_HEADER];
      return typeof given === 'string' && SAFE_ID.test(given) ? given : randomUUID();
    },
    // Fastify's own 503 during close is plain JSON: refuseWhileShuttingDown answers instead, from the
    // moment the shutdown begins.
    return503OnClosing: false,
    clientErrorHandler,
    frameworkErrors: frameworkErrorHandler,
  });
  const app = await NestFactory.create<NestFastifyApplication>(module, adapter, {
    bufferLogs: !spec.quiet,
    logger: spec.quiet ? false : undefined,
    abortOnError: false,
    rawBody: spec.rawBody ?? false,
  });
  if (!spec.quiet) app.useLogger(app.get(PinoLogger));
  app.enableShutdownHooks();

  const fastify = app.getHttpAdapter().getInstance();
  refuseWhileShuttingDown(fastify, () => adapter.shuttingDown);
  await app.register(helmet, { contentSecurityPolicy: false });
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header(CORRELATION_HEADER, request.id);
    // Only JSON bodies: Fastify would otherwise parse text/plain (and Nest form posts) into strings and
    // the client would get a confusing validation error instead of 415.
    const hasBody =
      request.headers['content-length'] !== undefined && request.headers['content-length'] !== '0';
    const type = request.headers['content-type'] ?? '';
    if ((hasBody || request.headers['transfer-encoding']) && !/^application\/(.+\+)?json\b/i.test(type)) {
      sendProblem(
        reply,
        request,
        problem(415, 'unsupported-media-type', 'Send the request body as application/json.'),
      );
      return;
    }
    done();
  });
  guardRequestLine(fastify);
  guardMetrics(fastify, edge);
  // Registered before Nest's default JSON parser, which it replaces (the raw body is kept when spec.rawBody).
  app.useBodyParser(
    'application/json',
    { bodyLimit: spec.bodyLimit },
    jsonBodyParser(fastify, edge.maxJsonDepth),
  );
  // Fastify's own errors (body parsing, size limits, content types) reach ProblemFilter through Nest's
  // exception layer, which Nest installs as Fastify's error handler.
  app.get(Metrics).instrument(fastify);

  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      stopAtFirstError: false,
      validationError: { target: false, value: false },
    }),
  );
  app.useGlobalFilters(new ProblemFilter(spec.problemMappers ?? []));

  if (edge.swaggerUi || edge.openApiJson) {
    const document = await openApiDocument(app, spec);
    SwaggerModule.setup('docs', app, document, {
      ui: edge.swaggerUi,
      raw: edge.openApiJson ? ['json', 'yaml'] : false,
      jsonDocumentUrl: 'docs/openapi.json',
      yamlDocumentUrl: 'docs/openapi.yaml',
    });
  }
  return app;
}
