import { ConfigError, loadConfig } from '@stockbridge/config';
import { PosConfig } from './pos.config';

const base = {
  DATABASE_URL: 'postgres://u@h/db',
  REDIS_URL: 'redis://h:6379',
  PROCESS_RESERVATIONS_URL: 'http://127.0.0.1:3001',
  SERVICE_TOKEN: 'a-service-token-of-16+',
};

function bootMessage(env: Record<string, string>): string {
  try {
    loadConfig(PosConfig, { ...base, ...env });
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  return '';
}

describe('PosConfig', () => {
  it('listens on 3030, retries a call the process API did not take twice, and gives a batch 30 s', () => {
    const config = loadConfig(PosConfig, base);
    expect(config.PORT).toBe(3030);
    expect(config.PROCESS_RETRIES).toBe(2);
    expect(config.TRANSACTIONS_TIMEOUT_MS).toBe(30_000);
    expect(config.PROCESS_TIMEOUT_MS).toBe(10_000);
    expect(config.IDEMPOTENCY_RETENTION_HOURS).toBe(24);
    expect(config.RATE_LIMIT_PER_MINUTE).toBe(6000);
  });

  it('refuses to start without the process API, or with bad limits, naming each variable', () => {
    const { PROCESS_RESERVATIONS_URL: _omitted, ...without } = base;
    let message = '';
    try {
      loadConfig(PosConfig, without);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain('PROCESS_RESERVATIONS_URL must be an http(s) URL');
    expect(bootMessage({ PROCESS_RETRIES: '9' })).toMatch(/PROCESS_RETRIES/);
    expect(bootMessage({ TRANSACTIONS_TIMEOUT_MS: '10' })).toMatch(/TRANSACTIONS_TIMEOUT_MS/);
    expect(bootMessage({ RATE_LIMITS: '{"chanel:pos": 10}' })).toContain(
      'RATE_LIMITS: "chanel:pos" is not a selector',
    );
    expect(bootMessage({ TRUST_PROXY: 'proxy.internal' })).toMatch(/TRUST_PROXY: .+/);
  });
});
