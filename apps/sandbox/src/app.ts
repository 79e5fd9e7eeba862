import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type AppSpec, createApp } from '@stockbridge/http';
import metadata from './metadata';
import { SandboxConfig } from './sandbox.config';
import { SandboxModule } from './sandbox.module';

/** How the app presents itself: one source for the running app and the OpenAPI generator. */
export function sandboxAppSpec(config: SandboxConfig): AppSpec {
  return {
    name: 'sandbox',
    title: 'Stockbridge sandbox: stand-in ERP, WMS, OMS and marketplace',
    description:
      'Reference backends for local runs, demos and tests (DESIGN.md §2, stand-ins). Each speaks its own native API ' +
      '(/erp/api, /wms/api, /oms/api, /marketplace/api) with its own error bodies, deliberately unlike the canonical model, ' +
      'and keeps its state in its own PostgreSQL schema. Faults (outage, the next N requests failing, rate limits, timeouts, ' +
      'errors, latency) are set per backend under /admin/faults and apply to the native routes only. Admin and operations ' +
      'routes answer errors as ' +
      'application/problem+json (RFC 9457). No authentication: never expose the sandbox.',
    version: '1.0.0',
    bodyLimit: config.BODY_LIMIT_BYTES,
    auth: { scheme: 'bearer', description: 'Not used: the sandbox has no authentication' },
    swaggerMetadata: metadata,
  };
}

export const sandboxModule = (config: SandboxConfig) => SandboxModule.forRoot(config);

/** Builds the app without listening: used by main.ts and the e2e tests. */
export async function buildSandboxApp(
  config: SandboxConfig,
  options: { quiet?: boolean } = {},
): Promise<NestFastifyApplication> {
  return createApp(sandboxModule(config), { ...sandboxAppSpec(config), quiet: options.quiet });
}
