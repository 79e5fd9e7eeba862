import { ConfigError, loadConfig } from '@stockbridge/config';
import { StorefrontConfig } from './storefront.config';

const base = {
  DATABASE_URL: 'postgres://u@h/db',
  REDIS_URL: 'redis://h:6379',
  PROCESS_RESERVATIONS_URL: 'http://127.0.0.1:3001',
  PROCESS_ALLOCATION_URL: 'http://127.0.0.1:3003',
  SERVICE_TOKEN: 'a-service-token-of-16+',
};

function bootMessage(env: Record<string, string>): string {
  try {
    loadConfig(StorefrontConfig, { ...base, ...env });
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  return '';
}

describe('StorefrontConfig rate-limit settings', () => {
  it('defaults to 6000 requests a minute per key, 60 per address without a key, no overrides, no proxy', () => {
    const config = loadConfig(StorefrontConfig, base);
    expect(config.RATE_LIMIT_PER_MINUTE).toBe(6000);
    expect(config.RATE_LIMIT_UNAUTHENTICATED_PER_MINUTE).toBe(60);
    expect(config.RATE_LIMITS).toBe('');
    expect(config.TRUST_PROXY).toBe('false');
  });

  it('accepts overrides per channel and per route', () => {
    const config = loadConfig(StorefrontConfig, {
      ...base,
      RATE_LIMIT_PER_MINUTE: '1200',
      RATE_LIMITS: '{"channel:web": 6000, "route:POST /v1/reservations": 600}',
      TRUST_PROXY: '10.0.0.0/8, loopback',
    });
    expect(config.RATE_LIMIT_PER_MINUTE).toBe(1200);
  });

  it('refuses to start on bad overrides, naming the variable and each bad entry', () => {
    const message = bootMessage({ RATE_LIMITS: '{"chanel:web": 6000, "channel:pos": "many"}' });
    expect(message).toContain('RATE_LIMITS: "chanel:web" is not a selector; use "channel:<code>"');
    expect(message).toContain('"channel:pos" must be a whole number of requests per minute');
    expect(bootMessage({ RATE_LIMITS: 'web=6000' })).toContain('RATE_LIMITS: must be a JSON object');
  });

  it('refuses to start on a TRUST_PROXY that is no address, range or name, and on negative limits', () => {
    expect(bootMessage({ TRUST_PROXY: 'proxy.internal' })).toMatch(/TRUST_PROXY: .+/);
    expect(bootMessage({ RATE_LIMIT_PER_MINUTE: '-1' })).toMatch(/RATE_LIMIT_PER_MINUTE/);
    expect(bootMessage({ RATE_LIMIT_UNAUTHENTICATED_PER_MINUTE: '0' })).toMatch(
      /RATE_LIMIT_UNAUTHENTICATED_PER_MINUTE/,
    );
  });
});
