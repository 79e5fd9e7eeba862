import { loadConfig } from '@stockbridge/config';
import { buildStorefrontApp } from '../../apps/experience-storefront/src/app';
import { StorefrontConfig } from '../../apps/experience-storefront/src/storefront.config';
import { type RunningApp, type TestPlatform, urlOf } from './platform';

/**
 * Another storefront on the platform's database, Redis prefix and process-reservations, the way TestPlatform
 * starts its own, with settings of the test's choosing (several replicas share one Redis, as in production).
 */
export async function startStorefront(
  platform: TestPlatform,
  env: Record<string, string> = {},
): Promise<RunningApp> {
  const config = loadConfig(StorefrontConfig, {
    ...platform.baseEnv(),
    PROCESS_RESERVATIONS_URL: platform.processUrl,
    // No process-allocation in this platform: a closed port, so order reads answer 503.
    PROCESS_ALLOCATION_URL: 'http://127.0.0.1:1',
    ...env,
  });
  const app = await buildStorefrontApp(config);
  try {
    await app.listen({ port: 0, host: '127.0.0.1' });
  } catch (err) {
    await app.close().catch(() => undefined);
    throw err;
  }
  return { app, url: urlOf(app) };
}
