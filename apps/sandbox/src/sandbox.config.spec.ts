import { ConfigError, loadConfig } from '@stockbridge/config';
import { NO_FAULTS } from './faults/faults';
import { SandboxConfig } from './sandbox.config';

describe('SandboxConfig', () => {
  const base = { DATABASE_URL: 'postgres://u@h/db' };

  it('needs no Redis and listens on 3900 by default', () => {
    const c = loadConfig(SandboxConfig, base);
    expect(c.PORT).toBe(3900);
    expect(c.initialFaults().erp).toEqual(NO_FAULTS);
  });

  it('reads start-time faults', () => {
    const c = loadConfig(SandboxConfig, {
      ...base,
      SANDBOX_FAULTS: '{"erp":{"latencyMs":50,"outage":false}}',
    });
    expect(c.initialFaults().erp).toEqual({ ...NO_FAULTS, latencyMs: 50 });
  });

  it('refuses to start with bad faults and says what is wrong', () => {
    expect(() => loadConfig(SandboxConfig, { ...base, SANDBOX_FAULTS: '{"erp":{"errorRate":1.5}}' })).toThrow(
      ConfigError,
    );
    expect(() => loadConfig(SandboxConfig, { ...base, SANDBOX_FAULTS: '{"erp":{"errorRate":1.5}}' })).toThrow(
      /SANDBOX_FAULTS: erp\.errorRate must not be greater than 1/,
    );
    expect(() => loadConfig(SandboxConfig, { ...base, SANDBOX_FAULTS: 'outage' })).toThrow(
      /SANDBOX_FAULTS: is not valid JSON/,
    );
  });

  it('wants the webhook secret together with the webhook URL', () => {
    expect(() =>
      loadConfig(SandboxConfig, { ...base, SANDBOX_WMS_WEBHOOK_URL: 'http://127.0.0.1:4000/hooks' }),
    ).toThrow(/SANDBOX_WMS_WEBHOOK_SECRET/);
    const c = loadConfig(SandboxConfig, {
      ...base,
      SANDBOX_WMS_WEBHOOK_URL: 'http://127.0.0.1:4000/hooks',
      SANDBOX_WMS_WEBHOOK_SECRET: 's3cret',
    });
    expect(c.SANDBOX_WMS_WEBHOOK_SECRET).toBe('s3cret');
  });
});
