import 'reflect-metadata';
import { ConfigError, loadConfig } from '@stockbridge/config';
import { installShutdownWatchdog } from '@stockbridge/app-platform';
import { buildSystemErpApp } from './app';
import { SystemErpConfig } from './system-erp.config';

async function main(): Promise<void> {
  const config = loadConfig(SystemErpConfig);
  const app = await buildSystemErpApp(config);
  await app.listen({ port: config.PORT, host: config.HOST });
  installShutdownWatchdog();
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
