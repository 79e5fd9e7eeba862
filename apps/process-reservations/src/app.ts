import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type AppSpec, createApp } from '@stockbridge/app-platform';
import { LedgerProblemMapper } from './infra/ledger-problem.mapper';
import metadata from './metadata';
import { ProcessReservationsConfig } from './process-reservations.config';
import { ProcessReservationsModule } from './process-reservations.module';

/** How the app presents itself: one source for the running app and the OpenAPI generator. */
export function processReservationsAppSpec(config: ProcessReservationsConfig): AppSpec {
  return {
    name: 'process-reservations',
    title: 'Stockbridge process API: reservations and inventory ledger',
    description:
      'Internal process API: channel availability, reservations and stock movements over the inventory ledger. ' +
      'Callers authenticate with the service token. Errors are application/problem+json (RFC 9457).',
    version: '2.0.0',
    bodyLimit: config.BODY_LIMIT_BYTES,
    edge: config.edge(),
    auth: { scheme: 'bearer', description: 'The service token shared by the platform layers' },
    problemMappers: [new LedgerProblemMapper()],
    swaggerMetadata: metadata,
  };
}

export const processReservationsModule = (config: ProcessReservationsConfig) =>
  ProcessReservationsModule.forRoot(config);

/** Builds the app without listening: used by main.ts and the e2e tests. */
export async function buildProcessReservationsApp(
  config: ProcessReservationsConfig,
  options: { quiet?: boolean } = {},
): Promise<NestFastifyApplication> {
  return createApp(processReservationsModule(config), {
    ...processReservationsAppSpec(config),
    quiet: options.quiet,
  });
}
