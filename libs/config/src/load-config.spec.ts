import { CommonConfig } from './common.config';
import { ConfigError, loadConfig, redact } from './load-config';

describe('loadConfig', () => {
  const base = { DATABASE_URL: 'postgres://u@h/db', REDIS_URL: 'redis://h:6379' };

  it('converts numbers and applies defaults', () => {
    const c = loadConfig(CommonConfig, { ...base, PORT: '8080' });
    expect(c.PORT).toBe(8080);
    expect(c.DB_POOL_SIZE).toBe(20);
    expect(c.REDIS_PREFIX).toBe('sb:');
  });

  it('refuses to start with a message naming every bad variable', () => {
    let error: unknown;
    try {
      loadConfig(CommonConfig, { DATABASE_URL: 'mysql://x', PORT: 'abc' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain('DATABASE_URL must be a postgres:// URL');
    expect(message).toContain('REDIS_URL must be a redis:// URL');
    expect(message).toMatch(/PORT/);
  });

  it('ignores unrelated environment variables', () => {
    const c = loadConfig(CommonConfig, { ...base, HOME: '/root' }) as unknown as Record<string, unknown>;
    expect(c.HOME).toBeUndefined();
  });

  it('masks secrets for logging', () => {
    const c = loadConfig(CommonConfig, base);
    expect(redact(c, ['DATABASE_URL'])).toMatchObject({ DATABASE_URL: '***', REDIS_URL: 'redis://h:6379' });
  });
});
