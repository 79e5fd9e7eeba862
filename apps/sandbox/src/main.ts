import 'reflect-metadata';
import { ConfigError, loadConfig } from '@stockbridge/config';
import { installShutdownWatchdog } from '@stockbridge/app-platform';
import { buildSandboxApp } from './app';
import { SandboxConfig } from './sandbox.config';

async function main(): Promise<void> {
  const config = loadConfig(SandboxConfig);
  const app = await buildSandboxApp(config);
  await app.listen({ port: config.PORT, host: config.HOST });
  installShutdownWatchdog();
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
