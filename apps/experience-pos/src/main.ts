import 'reflect-metadata';
import { ConfigError, loadConfig } from '@stockbridge/config';
import { installShutdownWatchdog } from '@stockbridge/app-platform';
import { buildPosApp } from './app';
import { PosConfig } from './pos.config';

async function main(): Promise<void> {
  const config = loadConfig(PosConfig);
  const app = await buildPosApp(config);
  await app.listen({ port: config.PORT, host: config.HOST });
  installShutdownWatchdog();
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
