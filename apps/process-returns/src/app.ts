import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type AppSpec, createApp } from '@stockbridge/app-platform';
import { ReturnsProblemMapper } from './infra/returns-problem.mapper';
import metadata from './metadata';
import { ProcessReturnsConfig } from './process-returns.config';
import { ProcessReturnsModule } from './process-returns.module';

/** How the app presents itself: one source for the running app and the OpenAPI generator. */
export function processReturnsAppSpec(config: ProcessReturnsConfig): AppSpec {
  return {
    name: 'process-returns',
    title: 'Stockbridge process API: returns',
    description:
      'Internal process API: returns (RMAs) opened by a channel or the OMS against shipped units, received ' +
      'at a location into quality control, graded (resell, damaged, destroy) and only then restocked; the refund and the ' +
      'inventory adjustments are booked in the ERP with mapped reason codes. Callers use the service token. ' +
      'Errors are application/problem+json (RFC 9457).',
    version: '2.0.0',
    bodyLimit: config.BODY_LIMIT_BYTES,
    edge: config.edge(),
    auth: { scheme: 'bearer', description: 'The service token shared by the platform layers' },
    problemMappers: [new ReturnsProblemMapper()],
    swaggerMetadata: metadata,
  };
}

export const processReturnsModule = (config: ProcessReturnsConfig) => ProcessReturnsModule.forRoot(config);

/** Builds the app without listening: used by main.ts and the e2e tests. */
export async function buildProcessReturnsApp(
  config: ProcessReturnsConfig,
  options: { quiet?: boolean } = {},
): Promise<NestFastifyApplication> {
  return createApp(processReturnsModule(config), {
    ...processReturnsAppSpec(config),
    quiet: options.quiet,
  });
}
