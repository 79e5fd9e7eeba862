import { CommonConfig } from './common.config';
import { ConfigError, loadConfig } from './load-config';

describe('CommonConfig edge settings', () => {
  const base = { DATABASE_URL: 'postgres://u@h/db', REDIS_URL: 'redis://h:6379' };
  const edge = (env: Record<string, string> = {}) => loadConfig(CommonConfig, { ...base, ...env }).edge();

  it('serves docs, the OpenAPI document and open metrics by default, with JSON depth 32', () => {
    expect(edge()).toEqual({ swaggerUi: true, openApiJson: true, metrics: true, maxJsonDepth: 32 });
  });

  it('switches the docs and the OpenAPI document off by default when NODE_ENV=production', () => {
    expect(edge({ NODE_ENV: 'production' })).toEqual({
      swaggerUi: false,
      openApiJson: false,
      metrics: true,
      maxJsonDepth: 32,
    });
    expect(edge({ NODE_ENV: 'production', SWAGGER_UI: 'true', OPENAPI_JSON: '1' })).toMatchObject({
      swaggerUi: true,
      openApiJson: true,
    });
  });

  it('reads false as false (not as a non-empty string), in the usual spellings', () => {
    for (const off of ['false', 'FALSE', '0', 'no', 'off'])
      expect(edge({ SWAGGER_UI: off, OPENAPI_JSON: off, METRICS: off })).toMatchObject({
        swaggerUi: false,
        openApiJson: false,
        metrics: false,
      });
    for (const on of ['true', '1', 'yes', 'ON']) expect(edge({ METRICS: on }).metrics).toBe(true);
  });

  it('refuses a switch that is neither on nor off, naming it', () => {
    expect(() => edge({ METRICS: 'maybe' })).toThrow(ConfigError);
    expect(() => edge({ METRICS: 'maybe' })).toThrow(/METRICS must be true or false/);
  });

  it('protects metrics with a token of at least 16 characters', () => {
    expect(edge({ METRICS_TOKEN: 'metrics-token-0123456789' }).metricsToken).toBe('metrics-token-0123456789');
    expect(() => edge({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN must be at least 16 characters/);
  });

  it('takes MAX_JSON_DEPTH within 2..256', () => {
    expect(edge({ MAX_JSON_DEPTH: '64' }).maxJsonDepth).toBe(64);
    expect(() => edge({ MAX_JSON_DEPTH: '1' })).toThrow(/MAX_JSON_DEPTH/);
    expect(() => edge({ MAX_JSON_DEPTH: '100000' })).toThrow(/MAX_JSON_DEPTH/);
  });
});
