import 'reflect-metadata';
import { ConfigError, loadConfig } from '@stockbridge/config';
import { installShutdownWatchdog } from '@stockbridge/app-platform';
import { buildSystemWmsApp } from './app';
import { SystemWmsConfig } from './system-wms.config';

async function main(): Promise<void> {
  const config = loadConfig(SystemWmsConfig);
  const app = await buildSystemWmsApp(config);
  await app.listen({ port: config.PORT, host: config.HOST });
  installShutdownWatchdog();
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
