import { type DynamicModule, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { OpenAPIObject } from '@nestjs/swagger';
import { type AppSpec, openApiDocument } from './create-app';

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
