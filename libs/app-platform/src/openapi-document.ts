import { type DynamicModule, type INestApplication, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  DocumentBuilder,
  type HeaderObject,
  type OpenAPIObject,
  type ReferenceObject,
  type ResponseObject,
  type SecuritySchemeObject,
  type ServerObject,
  SwaggerModule,
  type TagObject,
} from '@nestjs/swagger';
import type { AppSpec } from './create-app';
import { PROBLEM_CODES, type ProblemCode, problemCodeSchema, problemSchemaName } from './problem.dto';

/** How an app's published document presents itself beyond title, description and version. */
export interface OpenApiOptions {
  /** Where partners reach the API; without it, the app that serves the document (`/`). */
  servers?: ServerObject[];
  /** A description per tag its operations use. */
  tags?: TagObject[];
  /** Security schemes beyond the app's bearer scheme (`auth`), by name, for `@ApiSecurity(name)`. */
  securitySchemes?: Record<string, SecuritySchemeObject>;
  /** Path prefixes the app serves but leaves out of its document (e.g. its probes, for partners). */
  excludePaths?: string[];
  /**
   * Every operation is rate limited: each response carries the RateLimit-* headers and each operation
   * documents its 429.
   */
  rateLimited?: boolean;
}

/** Response headers the documents declare, by name (components.headers). */
export const RESPONSE_HEADERS: Record<string, HeaderObject> = {
  'X-Correlation-Id': {
    description:
      'The id the request was logged under: the `X-Correlation-Id` you sent (when it is 1–128 safe characters) or a generated one',
    schema: { type: 'string', example: '0f6f3a5e-8c1d-4a4e-9b3e-1d2c3b4a5f60' },
  },
  'Idempotent-Replayed': {
    description:
      '`true` when this is the stored response of an earlier request with the same Idempotency-Key',
    schema: { type: 'string', enum: ['true'] },
  },
  'Retry-After': {
    description: 'Seconds to wait before retrying',
    schema: { type: 'integer', minimum: 0, example: 1 },
  },
  'RateLimit-Limit': {
    description: 'Requests allowed in the current window (IETF RateLimit header fields draft)',
    schema: { type: 'integer', minimum: 0, example: 100 },
  },
  'RateLimit-Remaining': {
    description: 'Requests left in the current window',
    schema: { type: 'integer', minimum: 0, example: 99 },
  },
  'RateLimit-Reset': {
    description: 'Seconds until the current window ends',
    schema: { type: 'integer', minimum: 0, example: 1 },
  },
};

export const headerRef = (name: keyof typeof RESPONSE_HEADERS): ReferenceObject => ({
  $ref: `#/components/headers/${name}`,
});

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'] as const;
const RATE_LIMIT_HEADERS = ['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset'];

/**
 * The OpenAPI document of an app without running it: Nest's preview mode builds the module graph without
 * instantiating providers, so no database or Redis connection is opened.
 */
export async function buildOpenApiDocument(
  module: Type<unknown> | DynamicModule,
  spec: AppSpec,
): Promise<OpenAPIObject> {
  const app = await NestFactory.create<NestFastifyApplication>(module, new FastifyAdapter(), {
    preview: true,
    logger: false,
    abortOnError: false,
  });
  try {
    return await openApiDocument(app, spec);
  } finally {
    await app.close();
  }
}

export async function openApiDocument(app: INestApplication, spec: AppSpec): Promise<OpenAPIObject> {
  if (spec.swaggerMetadata) await SwaggerModule.loadPluginMetadata(spec.swaggerMetadata);
  const options = spec.openApi ?? {};
  const builder = new DocumentBuilder()
    .setTitle(spec.title)
    .setDescription(spec.description)
    .setVersion(spec.version)
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: spec.auth.description });
  for (const server of options.servers ?? [{ url: '/', description: 'The app that serves this document' }]) {
    builder.addServer(server.url, server.description, server.variables);
  }
  for (const tag of options.tags ?? []) builder.addTag(tag.name, tag.description);
  for (const [name, scheme] of Object.entries(options.securitySchemes ?? {})) {
    builder.addSecurity(name, scheme);
  }
  const config = builder.build();
  // DocumentBuilder's bearer scheme says `bearerFormat: JWT`; no Stockbridge credential is a JWT.
  const scheme = config.components?.securitySchemes?.bearer;
  if (scheme && 'bearerFormat' in scheme) delete scheme.bearerFormat;
  const document = SwaggerModule.createDocument(app, config, {
    operationIdFactory: (_c, method) => method,
  });
  declareResponseHeaders(document, options.rateLimited ?? false);
  registerProblemSchemas(document);
  excludePaths(document, options.excludePaths ?? []);
  dropUnusedBearerScheme(document);
  return document;
}

/** An app whose operations all need no credential (e.g. only probes) declares no security scheme. */
function dropUnusedBearerScheme(document: OpenAPIObject): void {
  const used = Object.values(document.paths).some((pathItem) =>
    HTTP_METHODS.some((m) => pathItem[m]?.security?.some((requirement) => 'bearer' in requirement)),
  );
  if (!used && document.components?.securitySchemes) delete document.components.securitySchemes.bearer;
}

function excludePaths(document: OpenAPIObject, prefixes: string[]): void {
  if (prefixes.length === 0) return;
  for (const path of Object.keys(document.paths)) {
    if (prefixes.some((p) => path === p || path.startsWith(`${p}/`))) delete document.paths[path];
  }
  pruneUnusedSchemas(document);
}

/** Schemas only left-out operations used (e.g. the generic ProblemView of /metrics) go with them. */
function pruneUnusedSchemas(document: OpenAPIObject): void {
  const schemas = document.components?.schemas ?? {};
  const used = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node !== null && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === '$ref' && typeof value === 'string' && value.startsWith('#/components/schemas/')) {
          const name = value.slice('#/components/schemas/'.length);
          if (!used.has(name)) {
            used.add(name);
            visit(schemas[name]);
          }
        } else visit(value);
      }
    }
  };
  visit(document.paths);
  for (const name of Object.keys(schemas)) if (!used.has(name)) delete schemas[name];
}

/**
 * Every response carries X-Correlation-Id; on a rate-limited API every response carries the RateLimit-*
 * headers and every operation documents its 429 (with Retry-After).
 */
function declareResponseHeaders(document: OpenAPIObject, rateLimited: boolean): void {
  const used = new Set<string>(['X-Correlation-Id']);
  for (const pathItem of Object.values(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = pathItem[method];
      if (!operation) continue;
      if (rateLimited && !operation.responses['429']) {
        operation.responses['429'] = rateLimitedResponse();
      }
      for (const [status, response] of Object.entries(operation.responses)) {
        if (!response || '$ref' in response) continue;
        const headers = (response as ResponseObject).headers ?? {};
        const names = [
          'X-Correlation-Id',
          ...(rateLimited ? RATE_LIMIT_HEADERS : []),
          ...(status === '429' ? ['Retry-After'] : []),
        ];
        for (const name of names) headers[name] ??= headerRef(name);
        for (const name of Object.keys(headers)) used.add(name);
        (response as ResponseObject).headers = headers;
      }
    }
  }
  document.components ??= {};
  document.components.headers = {
    ...document.components.headers,
    ...Object.fromEntries([...used].filter((n) => RESPONSE_HEADERS[n]).map((n) => [n, RESPONSE_HEADERS[n]!])),
  };
}

function rateLimitedResponse(): ResponseObject {
  return {
    description: 'Too many requests: retry after `Retry-After` seconds',
    content: {
      'application/problem+json': {
        schema: { $ref: `#/components/schemas/${problemSchemaName('rate-limited')}` },
        example: {
          type: 'https://stockbridge.dev/problems/rate-limited',
          title: 'Too Many Requests',
          status: 429,
          detail: PROBLEM_CODES['rate-limited'].detail,
        },
      },
    },
  };
}

/** Adds the schema of every documented problem code the document refers to (ApiProblems with codes). */
function registerProblemSchemas(document: OpenAPIObject): void {
  const byName = new Map(
    (Object.keys(PROBLEM_CODES) as ProblemCode[]).map((code) => [problemSchemaName(code), code]),
  );
  const referenced = new Set<ProblemCode>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node !== null && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === '$ref' && typeof value === 'string') {
          const code = byName.get(value.replace('#/components/schemas/', ''));
          if (code) referenced.add(code);
        } else visit(value);
      }
    }
  };
  visit(document.paths);
  if (referenced.size === 0) return;
  document.components ??= {};
  document.components.schemas ??= {};
  for (const code of [...referenced].sort()) {
    document.components.schemas[problemSchemaName(code)] = problemCodeSchema(code);
  }
}
