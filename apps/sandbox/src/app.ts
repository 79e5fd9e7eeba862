import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type AppSpec, createApp } from '@stockbridge/app-platform';
import metadata from './metadata';
import { SandboxConfig } from './sandbox.config';
import { SandboxModule } from './sandbox.module';

/** How the app presents itself: one source for the running app and the OpenAPI generator. */
export function sandboxAppSpec(config: SandboxConfig): AppSpec {
  return {
    name: 'sandbox',
    title: 'Stockbridge sandbox: stand-in ERP, WMS, OMS and marketplace',
    description:
      'Reference backends for local runs, demos and tests (docs/architecture.md, stand-ins). Each speaks its own native API ' +
      '(/erp/api, /wms/api, /oms/api) with its own error bodies, deliberately unlike the canonical model, and keeps its state ' +
      "in its own PostgreSQL schema. The marketplace speaks eBay's seller APIs as eBay publishes them (/sell/inventory/v1, " +
      '/sell/fulfillment/v1, /post-order/v2: field names, batch size, paging, error bodies and call limits; ' +
      'docs/channels/marketplace.md). Faults (outage, the next N requests failing, rate limits, timeouts, ' +
      'errors, latency) are set per backend under /admin/faults and apply to the native routes only. Admin and operations ' +
      'routes answer errors as application/problem+json (RFC 9457). The admin routes (/admin) need SANDBOX_ADMIN_TOKEN as a ' +
      'Bearer token; each native API needs the credential its SANDBOX_<BACKEND>_AUTH sets (an API key header, HTTP basic, or ' +
      'a Bearer token from POST /oauth/token, client credentials grant). Never expose the sandbox.',
    version: '2.0.0',
    bodyLimit: config.BODY_LIMIT_BYTES,
    edge: config.edge(),
    auth: { scheme: 'bearer', description: 'SANDBOX_ADMIN_TOKEN, for the admin routes' },
    openApi: {
      // A native API demands the one credential its SANDBOX_<BACKEND>_AUTH sets, or none when unset.
      securitySchemes: {
        basic: {
          type: 'http',
          scheme: 'basic',
          description:
            "A native API's user and password (SANDBOX_<BACKEND>_AUTH=basic:…), or an OAuth2 client's id and secret at POST /oauth/token",
        },
        nativeApiKey: {
          type: 'apiKey',
          in: 'header',
          name: 'X-Api-Key',
          description:
            'A native API key (SANDBOX_<BACKEND>_AUTH=api-key:<header>:…; the header is X-Api-Key in npm start)',
        },
        nativeOAuth2: {
          type: 'oauth2',
          description: 'A Bearer token of the client credentials grant (SANDBOX_<BACKEND>_AUTH=oauth2:…)',
          flows: { clientCredentials: { tokenUrl: '/oauth/token', scopes: {} } },
        },
      },
    },
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
