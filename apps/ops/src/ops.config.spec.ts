import { ConfigError, loadConfig } from '@stockbridge/config';
import { OpsConfig } from './ops.config';

const BASE = { DATABASE_URL: 'postgres://u@127.0.0.1:5432/db', REDIS_URL: 'redis://127.0.0.1:6379' };

describe('OpsConfig', () => {
  it('reads the operators from OPS_ADMIN_TOKENS and listens on 3020 by default', () => {
    const config = loadConfig(OpsConfig, {
      ...BASE,
      OPS_ADMIN_TOKENS: 'alice:0123456789abcdef,bob:fedcba9876543210',
    });
    expect(config.PORT).toBe(3020);
    expect(config.adminCredentials().names).toEqual(['alice', 'bob']);
  });

  it('refuses to start without OPS_ADMIN_TOKENS', () => {
    expect(() => loadConfig(OpsConfig, BASE)).toThrow(
      /OPS_ADMIN_TOKENS: must be set to comma-separated name:token pairs/,
    );
  });

  it('refuses a short token with a message that names the entry and leaves the secret out', () => {
    let error: unknown;
    try {
      loadConfig(OpsConfig, { ...BASE, OPS_ADMIN_TOKENS: 'alice:0123456789abcdef,bob:tooshort' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain(
      'OPS_ADMIN_TOKENS: entry 2 (bob): the token must be at least 16 characters',
    );
    expect((error as ConfigError).message).not.toContain('tooshort');
    expect((error as ConfigError).message).not.toContain('0123456789abcdef');
  });
});
