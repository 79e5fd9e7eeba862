import 'reflect-metadata';
import { ConfigError, loadConfig } from '@stockbridge/config';
import { installShutdownWatchdog } from '@stockbridge/app-platform';
import { buildProcessAllocationApp } from './app';
import { ProcessAllocationConfig } from './process-allocation.config';

async function main(): Promise<void> {
  const config = loadConfig(ProcessAllocationConfig);
  const app = await buildProcessAllocationApp(config);
  await app.listen({ port: config.PORT, host: config.HOST });
  installShutdownWatchdog();
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
