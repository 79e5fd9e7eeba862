import 'reflect-metadata';
import { ConfigError, loadConfig } from '@stockbridge/config';
import { installShutdownWatchdog } from '@stockbridge/app-platform';
import { buildStorefrontApp } from './app';
import { StorefrontConfig } from './storefront.config';

async function main(): Promise<void> {
  const config = loadConfig(StorefrontConfig);
  const app = await buildStorefrontApp(config);
  await app.listen({ port: config.PORT, host: config.HOST });
  installShutdownWatchdog();
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
