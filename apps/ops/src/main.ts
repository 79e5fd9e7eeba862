import 'reflect-metadata';
import { ConfigError, loadConfig } from '@stockbridge/config';
import { installShutdownWatchdog } from '@stockbridge/app-platform';
import { buildOpsApp } from './app';
import { OpsConfig } from './ops.config';

async function main(): Promise<void> {
  const config = loadConfig(OpsConfig);
  const app = await buildOpsApp(config);
  await app.listen({ port: config.PORT, host: config.HOST });
  installShutdownWatchdog();
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
