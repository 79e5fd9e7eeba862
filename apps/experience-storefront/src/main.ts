import 'reflect-metadata';
import { ConfigError, loadConfig } from '@stockbridge/config';
import { buildStorefrontApp } from './app';
import { StorefrontConfig } from './storefront.config';

async function main(): Promise<void> {
  const config = loadConfig(StorefrontConfig);
  const app = await buildStorefrontApp(config);
  await app.listen({ port: config.PORT, host: config.HOST });
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
