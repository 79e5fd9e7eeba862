import 'reflect-metadata';
import { ConfigError, loadConfig } from '@stockbridge/config';
import { installShutdownWatchdog } from '@stockbridge/app-platform';
import { buildProcessReservationsApp } from './app';
import { ProcessReservationsConfig } from './process-reservations.config';

async function main(): Promise<void> {
  const config = loadConfig(ProcessReservationsConfig);
  const app = await buildProcessReservationsApp(config);
  await app.listen({ port: config.PORT, host: config.HOST });
  installShutdownWatchdog();
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
