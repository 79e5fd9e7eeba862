import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type AppSpec, createApp } from '@stockbridge/http';
import metadata from './metadata';
import { StorefrontConfig } from './storefront.config';
import { StorefrontModule } from './storefront.module';

/** How the app presents itself: one source for the running app and the OpenAPI generator. */
export function storefrontAppSpec(config: StorefrontConfig): AppSpec {
  return {
    name: 'experience-storefront',
    title: 'Stockbridge storefront API v1',
    description:
      'The published storefront contract (DESIGN.md §4): availability and reservations for web and app checkouts, ' +
      'and the orders that confirmed reservations place. ' +
      'Authenticate with `Authorization: Bearer <api key>`; each key belongs to one channel and has scopes ' +
      '(`availability:read`, `reservations:write`). Every error is application/problem+json (RFC 9457).',
    version: '1.1.0',
    bodyLimit: config.BODY_LIMIT_BYTES,
    auth: { scheme: 'bearer', description: 'Your channel API key' },
    swaggerMetadata: metadata,
  };
}

export const storefrontModule = (config: StorefrontConfig) => StorefrontModule.forRoot(config);

/** Builds the app without listening: used by main.ts and the e2e tests. */
export async function buildStorefrontApp(
  config: StorefrontConfig,
  options: { quiet?: boolean } = {},
): Promise<NestFastifyApplication> {
  return createApp(storefrontModule(config), { ...storefrontAppSpec(config), quiet: options.quiet });
}
