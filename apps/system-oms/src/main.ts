import 'reflect-metadata';
import { ConfigError, loadConfig } from '@stockbridge/config';
import { installShutdownWatchdog } from '@stockbridge/app-platform';
import { buildSystemOmsApp } from './app';
import { SystemOmsConfig } from './system-oms.config';

async function main(): Promise<void> {
  const config = loadConfig(SystemOmsConfig);
  const app = await buildSystemOmsApp(config);
  await app.listen({ port: config.PORT, host: config.HOST });
  installShutdownWatchdog();
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
