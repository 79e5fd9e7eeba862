import 'reflect-metadata';
import { ConfigError, loadConfig } from '@stockbridge/config';
import { installShutdownWatchdog } from '@stockbridge/app-platform';
import { buildProcessReconciliationApp } from './app';
import { ProcessReconciliationConfig } from './process-reconciliation.config';

async function main(): Promise<void> {
  const config = loadConfig(ProcessReconciliationConfig);
  const app = await buildProcessReconciliationApp(config);
  await app.listen({ port: config.PORT, host: config.HOST });
  installShutdownWatchdog();
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
