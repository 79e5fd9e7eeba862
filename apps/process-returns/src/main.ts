import 'reflect-metadata';
import { ConfigError, loadConfig } from '@stockbridge/config';
import { installShutdownWatchdog } from '@stockbridge/app-platform';
import { buildProcessReturnsApp } from './app';
import { ProcessReturnsConfig } from './process-returns.config';

async function main(): Promise<void> {
  const config = loadConfig(ProcessReturnsConfig);
  const app = await buildProcessReturnsApp(config);
  await app.listen({ port: config.PORT, host: config.HOST });
  installShutdownWatchdog();
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
