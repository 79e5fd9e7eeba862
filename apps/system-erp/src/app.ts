import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type AppSpec, createApp } from '@stockbridge/app-platform';
import metadata from './metadata';
import { SystemErpConfig } from './system-erp.config';
import { SystemErpModule } from './system-erp.module';

export function systemErpAppSpec(config: SystemErpConfig): AppSpec {
  return {
    name: 'system-erp',
    title: 'Stockbridge system API: ERP',
    description:
      'Internal system API in front of the ERP: it commits confirmed reservations taken from the ' +
      '`erp.commitments` queue, books accounting postings taken from `erp.postings` (acknowledged on ' +
      '`finance.posting-results`), and serves on-hand snapshots in canonical codes. Callers authenticate with the service token.',
    version: '1.0.0',
    bodyLimit: config.BODY_LIMIT_BYTES,
    edge: config.edge(),
    auth: { scheme: 'bearer', description: 'The service token shared by the platform layers' },
    swaggerMetadata: metadata,
  };
}

export const systemErpModule = (config: SystemErpConfig) => SystemErpModule.forRoot(config);

export async function buildSystemErpApp(
  config: SystemErpConfig,
  options: { quiet?: boolean } = {},
): Promise<NestFastifyApplication> {
  return createApp(systemErpModule(config), { ...systemErpAppSpec(config), quiet: options.quiet });
}
