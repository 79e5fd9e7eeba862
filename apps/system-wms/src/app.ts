import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type AppSpec, createApp } from '@stockbridge/app-platform';
import metadata from './metadata';
import { SystemWmsConfig } from './system-wms.config';
import { SystemWmsModule } from './system-wms.module';

export function systemWmsAppSpec(config: SystemWmsConfig): AppSpec {
  return {
    name: 'system-wms',
    title: 'Stockbridge system API: WMS',
    description:
      "Internal system API in front of the warehouse management system: it receives the WMS's signed " +
      'webhooks and translates them into canonical stock movements and fulfilment reports, releases and cancels ' +
      'fulfilment orders taken from the `wms.fulfilment-requests` queue, and serves on-hand snapshots in canonical codes.',
    version: '1.0.0',
    bodyLimit: config.BODY_LIMIT_BYTES,
    edge: config.edge(),
    auth: {
      scheme: 'bearer',
      description: 'The service token shared by the platform layers (webhooks are signed instead)',
    },
    swaggerMetadata: metadata,
    rawBody: true,
  };
}

export const systemWmsModule = (config: SystemWmsConfig) => SystemWmsModule.forRoot(config);

export async function buildSystemWmsApp(
  config: SystemWmsConfig,
  options: { quiet?: boolean } = {},
): Promise<NestFastifyApplication> {
  return createApp(systemWmsModule(config), { ...systemWmsAppSpec(config), quiet: options.quiet });
}
