import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type AppSpec, createApp } from '@stockbridge/app-platform';
import { ApiKeyGate } from '@stockbridge/channel-api';
import metadata from './metadata';
import { PosConfig } from './pos.config';
import { PosModule } from './pos.module';

const SCOPES = '`pos:transactions`, `pos:stock:read`, `pos:pickups:write`';

/** How the app presents itself: one source for the running app and the OpenAPI generator. */
export function posAppSpec(config: PosConfig): AppSpec {
  return {
    name: 'experience-pos',
    title: 'Stockbridge POS API v1',
    description:
      "The stores' contract: tills post their sales, returns and voids (each applied once, with its own time, " +
      'however late), read what their store and the stores nearby can sell, and hold units for click-and-collect. ' +
      'Authenticate with `Authorization: Bearer <api key>`; each key is bound to one store of one channel and acts ' +
      `for that store only, with scopes (${SCOPES}). Every error is application/problem+json (RFC 9457).`,
    version: '1.0.0',
    bodyLimit: config.BODY_LIMIT_BYTES,
    edge: config.edge(),
    auth: {
      scheme: 'bearer',
      description:
        "Your store's API key (an opaque secret, not a JWT), sent as `Authorization: Bearer <api key>`. Each key is " +
        `bound to one store and has scopes: ${SCOPES}.`,
    },
    swaggerMetadata: metadata,
    openApi: {
      servers: [
        {
          url: 'https://{host}',
          description: 'Your Stockbridge deployment (its operator tells you the host)',
          variables: {
            host: { default: 'stockbridge.your-company.invalid', description: 'The POS API host' },
          },
        },
        { url: 'http://127.0.0.1:3030', description: 'A local run (npm start)' },
      ],
      tags: [
        {
          name: 'transactions',
          description:
            "Your tills' sales, returns and voids, in batches, in any order and however late: each applied once",
        },
        { name: 'stock', description: 'What your store and the stores nearby can sell now' },
        {
          name: 'pickups',
          description:
            'Click-and-collect: units held at your store until a deadline, then collected (they leave once), cancelled or lapsed (back on sale)',
        },
      ],
      // The probes and metrics are for the operator; the app serves them, the stores' document leaves them out.
      excludePaths: ['/health', '/metrics'],
      rateLimited: true,
    },
  };
}

export const posModule = (config: PosConfig) => PosModule.forRoot(config);

/** Builds the app without listening: used by main.ts and the e2e tests. */
export async function buildPosApp(
  config: PosConfig,
  options: { quiet?: boolean } = {},
): Promise<NestFastifyApplication> {
  const app = await createApp(posModule(config), { ...posAppSpec(config), quiet: options.quiet });
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
