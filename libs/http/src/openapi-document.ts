import { type DynamicModule, type INestApplication, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { AppSpec } from './create-app';

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
  const config = new DocumentBuilder()
    .setTitle(spec.title)
    .setDescription(spec.description)
    .setVersion(spec.version)
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: spec.auth.description })
    .build();
  return SwaggerModule.createDocument(app, config, { operationIdFactory: (_c, method) => method });
}
