import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '@stockbridge/http';
import metadata from './metadata';
import { LedgerProblemMapper } from './infra/ledger-problem.mapper';
import { ProcessReservationsConfig } from './process-reservations.config';
import { ProcessReservationsModule } from './process-reservations.module';

/** Builds the app without listening: used by main.ts, the e2e tests and the OpenAPI generator. */
export async function buildProcessReservationsApp(
  config: ProcessReservationsConfig,
  options: { quiet?: boolean } = {},
): Promise<NestFastifyApplication> {
  return createApp(ProcessReservationsModule.forRoot(config), {
    name: 'process-reservations',
    title: 'Stockbridge process API: reservations and inventory ledger',
    description:
      'Internal process API (DESIGN.md §2): channel availability, reservations and stock movements over the inventory ledger. ' +
      'Callers authenticate with the service token. Errors are application/problem+json (RFC 9457).',
    version: '1.0.0',
    bodyLimit: config.BODY_LIMIT_BYTES,
    auth: { scheme: 'bearer', description: 'The service token shared by the platform layers' },
    problemMappers: [new LedgerProblemMapper()],
    swaggerMetadata: metadata,
    quiet: options.quiet,
  });
}
