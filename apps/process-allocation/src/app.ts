import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type AppSpec, createApp } from '@stockbridge/app-platform';
import metadata from './metadata';
import { OrderProblemMapper } from './infra/order-problem.mapper';
import { ProcessAllocationConfig } from './process-allocation.config';
import { ProcessAllocationModule } from './process-allocation.module';

export function processAllocationAppSpec(config: ProcessAllocationConfig): AppSpec {
  return {
    name: 'process-allocation',
    title: 'Stockbridge process API: allocation, fulfilment and orders',
    description:
      'Internal process API: confirmed reservations become orders, sourced to fulfilment orders per ' +
      'location, allocated in the ledger and released to the WMS; shipments, short picks (re-sourced) and cancellations ' +
      'are journaled; every order state transition is recorded with its cause; shipments post revenue and cost of goods to ' +
      'the ERP once per posting key. Callers use the service token. Errors are application/problem+json (RFC 9457).',
    version: '2.0.0',
    bodyLimit: config.BODY_LIMIT_BYTES,
    edge: config.edge(),
    auth: { scheme: 'bearer', description: 'The service token shared by the platform layers' },
    problemMappers: [new OrderProblemMapper()],
    swaggerMetadata: metadata,
  };
}

export const processAllocationModule = (config: ProcessAllocationConfig) =>
  ProcessAllocationModule.forRoot(config);

export async function buildProcessAllocationApp(
  config: ProcessAllocationConfig,
  options: { quiet?: boolean } = {},
): Promise<NestFastifyApplication> {
  return createApp(processAllocationModule(config), {
    ...processAllocationAppSpec(config),
    quiet: options.quiet,
  });
}
