import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type AppSpec, createApp } from '@stockbridge/app-platform';
import { MarketplaceConfig } from './marketplace.config';
import { MarketplaceModule } from './marketplace.module';
import metadata from './metadata';

/** How the app presents itself: one source for the running app and the OpenAPI generator. */
export function marketplaceAppSpec(config: MarketplaceConfig): AppSpec {
  return {
    name: 'experience-marketplace',
    title: 'Stockbridge experience API: marketplace',
    description:
      "The marketplace channel's outbound side: every change of the channel's availability is pushed to the " +
      'marketplace (eBay), coalesced per SKU, batched and paced to its rate limit; refused listings are ' +
      'dead-lettered. This API is for operators and ops (service token): full resyncs and the state of the ' +
      'outbound queue. See docs/channels/marketplace.md.',
    version: '1.0.0',
    bodyLimit: config.BODY_LIMIT_BYTES,
    edge: config.edge(),
    auth: { scheme: 'bearer', description: 'The service token shared by the platform layers' },
    swaggerMetadata: metadata,
  };
}

export const marketplaceModule = (config: MarketplaceConfig) => MarketplaceModule.forRoot(config);

/** Builds the app without listening: used by main.ts and the e2e tests. */
export async function buildMarketplaceApp(
  config: MarketplaceConfig,
  options: { quiet?: boolean } = {},
): Promise<NestFastifyApplication> {
  return createApp(marketplaceModule(config), { ...marketplaceAppSpec(config), quiet: options.quiet });
}
