import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type AppSpec, createApp } from '@stockbridge/app-platform';
import metadata from './metadata';
import { SystemOmsConfig } from './system-oms.config';
import { SystemOmsModule } from './system-oms.module';

export function systemOmsAppSpec(config: SystemOmsConfig): AppSpec {
  return {
    name: 'system-oms',
    title: 'Stockbridge system API: OMS',
    description:
      'Internal system API (docs/architecture.md) in front of the order management system: it creates an OMS order for every ' +
      'confirmed reservation taken from the `oms.orders` queue, and polls the OMS for status changes, which it ' +
      'reports to process-allocation as `order.status-reported` events. Operational endpoints only.',
    version: '1.0.0',
    bodyLimit: config.BODY_LIMIT_BYTES,
    edge: config.edge(),
    auth: { scheme: 'bearer', description: 'The service token shared by the platform layers' },
    swaggerMetadata: metadata,
  };
}

export const systemOmsModule = (config: SystemOmsConfig) => SystemOmsModule.forRoot(config);

export async function buildSystemOmsApp(
  config: SystemOmsConfig,
  options: { quiet?: boolean } = {},
): Promise<NestFastifyApplication> {
  return createApp(systemOmsModule(config), { ...systemOmsAppSpec(config), quiet: options.quiet });
}
