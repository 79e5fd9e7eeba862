import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type AppSpec, createApp } from '@stockbridge/app-platform';
import { ApiKeyGate } from '@stockbridge/channel-api';
import metadata from './metadata';
import { StorefrontConfig } from './storefront.config';
import { StorefrontModule } from './storefront.module';

/** How the app presents itself: one source for the running app and the OpenAPI generator. */
export function storefrontAppSpec(config: StorefrontConfig): AppSpec {
  return {
    name: 'experience-storefront',
    title: 'Stockbridge storefront API v1',
    description:
      'The published storefront contract: availability and reservations for web and app checkouts, ' +
      'and the orders that confirmed reservations place. ' +
      'Authenticate with `Authorization: Bearer <api key>`; each key belongs to one channel and has scopes ' +
      '(`availability:read`, `reservations:write`). Every error is application/problem+json (RFC 9457).',
    version: '1.2.0',
    bodyLimit: config.BODY_LIMIT_BYTES,
    edge: config.edge(),
    auth: {
      scheme: 'bearer',
      description:
        'Your API key (an opaque secret, not a JWT), sent as `Authorization: Bearer <api key>`. Each key belongs ' +
        'to one channel and has scopes: `availability:read`, `reservations:write`.',
    },
    swaggerMetadata: metadata,
    openApi: {
      servers: [
        {
          url: 'https://{host}',
          description: 'Your Stockbridge deployment (its operator tells you the host)',
          variables: {
            host: { default: 'stockbridge.your-company.invalid', description: 'The storefront API host' },
          },
        },
        { url: 'http://127.0.0.1:3000', description: 'A local run (npm start)' },
      ],
      tags: [
        {
          name: 'availability',
          description: 'What your channel can sell now, per SKU and per pickup location',
        },
        {
          name: 'reservations',
          description:
            'Holds for a checkout: every line or none, idempotent with `Idempotency-Key`; confirm to place the order, ' +
            'release to give the stock back',
        },
        {
          name: 'orders',
          description: 'The orders confirmed reservations place: state, shipments and history',
        },
      ],
      // The probes and metrics are for the operator; the app serves them, the partner document leaves them out.
      excludePaths: ['/health', '/metrics'],
      rateLimited: true,
    },
  };
}

export const storefrontModule = (config: StorefrontConfig) => StorefrontModule.forRoot(config);

/** Builds the app without listening: used by main.ts and the e2e tests. */
export async function buildStorefrontApp(
  config: StorefrontConfig,
  options: { quiet?: boolean } = {},
): Promise<NestFastifyApplication> {
  const app = await createApp(storefrontModule(config), {
    ...storefrontAppSpec(config),
    quiet: options.quiet,
  });
  try {
    // Authentication and rate limits run before Fastify reads a body: a request without a valid key, or over
    // its limit, costs no parsing.
    await app.get(ApiKeyGate).install(app.getHttpAdapter().getInstance());
  } catch (err) {
    await app.close();
    throw err;
  }
  return app;
}
