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

  it("reads the native APIs' credentials, each scheme with its parts, and none when unset", () => {
    const c = loadConfig(SandboxConfig, {
      ...base,
      SANDBOX_ERP_AUTH: 'oauth2:erp-client:secret-with:colon',
      SANDBOX_WMS_AUTH: 'api-key:X-Api-Key:key-12345678',
      SANDBOX_OMS_AUTH: 'basic:stockbridge:pass word 123',
    });
    expect(c.nativeCredentials()).toEqual({
      erp: { kind: 'oauth2', clientId: 'erp-client', clientSecret: 'secret-with:colon' },
      wms: { kind: 'api-key', header: 'x-api-key', key: 'key-12345678' },
      oms: { kind: 'basic', username: 'stockbridge', password: 'pass word 123' },
    });
    expect(loadConfig(SandboxConfig, base).nativeCredentials()).toEqual({});
  });

  it("limits the marketplace's Inventory and Fulfillment APIs to 5 calls a second unless told otherwise", () => {
    const c = loadConfig(SandboxConfig, base);
    expect(c.SANDBOX_MARKETPLACE_INVENTORY_CALLS_PER_SECOND).toBe(5);
    expect(c.SANDBOX_MARKETPLACE_ORDER_CALLS_PER_SECOND).toBe(5);
    const set = loadConfig(SandboxConfig, {
      ...base,
      SANDBOX_MARKETPLACE_INVENTORY_CALLS_PER_SECOND: '20',
      SANDBOX_MARKETPLACE_ORDER_CALLS_PER_SECOND: '0',
    });
    expect(set.SANDBOX_MARKETPLACE_INVENTORY_CALLS_PER_SECOND).toBe(20);
    expect(set.SANDBOX_MARKETPLACE_ORDER_CALLS_PER_SECOND).toBe(0);
    expect(() =>
      loadConfig(SandboxConfig, { ...base, SANDBOX_MARKETPLACE_ORDER_CALLS_PER_SECOND: '1.5' }),
    ).toThrow(/SANDBOX_MARKETPLACE_ORDER_CALLS_PER_SECOND/);
    expect(() =>
      loadConfig(SandboxConfig, { ...base, SANDBOX_MARKETPLACE_INVENTORY_CALLS_PER_SECOND: '-1' }),
    ).toThrow(/SANDBOX_MARKETPLACE_INVENTORY_CALLS_PER_SECOND/);
  });

  it('refuses a malformed credential without quoting its secret', () => {
    const attempt = () => loadConfig(SandboxConfig, { ...base, SANDBOX_OMS_AUTH: 'basic:user:tiny' });
    expect(attempt).toThrow(/SANDBOX_OMS_AUTH: the secret must be at least 8 characters/);
    expect(attempt).not.toThrow(/tiny/);
  });
});
