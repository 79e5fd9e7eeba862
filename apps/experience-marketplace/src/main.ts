import 'reflect-metadata';
import { ConfigError, loadConfig } from '@stockbridge/config';
import { installShutdownWatchdog } from '@stockbridge/app-platform';
import { buildMarketplaceApp } from './app';
import { MarketplaceConfig } from './marketplace.config';

async function main(): Promise<void> {
  const config = loadConfig(MarketplaceConfig);
  const app = await buildMarketplaceApp(config);
  await app.listen({ port: config.PORT, host: config.HOST });
  installShutdownWatchdog();
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
