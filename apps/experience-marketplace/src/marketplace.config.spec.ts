import { ConfigError, loadConfig } from '@stockbridge/config';
import { MarketplaceConfig } from './marketplace.config';

const base = {
  DATABASE_URL: 'postgres://u@h/db',
  REDIS_URL: 'redis://h:6379',
  SERVICE_TOKEN: 'a-service-token-of-16+',
  MARKETPLACE_URL: 'https://api.ebay.com',
};

function bootMessage(env: Record<string, string>): string {
  try {
    loadConfig(MarketplaceConfig, { ...base, ...env });
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  return '';
}

describe('MarketplaceConfig', () => {
  it("defaults to the marketplace channel, no credentials and the sandbox's rate of 5 calls a second", () => {
    const config = loadConfig(MarketplaceConfig, base);
    expect(config.PORT).toBe(3040);
    expect(config.MARKETPLACE_CHANNEL).toBe('marketplace');
    expect(config.MARKETPLACE_AUTH).toBe('none');
    expect(config.MARKETPLACE_CALLS_PER_SECOND).toBe(5);
    expect(config.MARKETPLACE_BATCH_SIZE).toBe(25);
    expect(config.MARKETPLACE_RESYNC_INTERVAL_SECONDS).toBe(3_600);
  });

  it('refuses a missing marketplace URL and a channel that is no channel code', () => {
    expect(bootMessage({ MARKETPLACE_URL: '' })).toContain('MARKETPLACE_URL must be an http(s):// URL');
    expect(bootMessage({ MARKETPLACE_CHANNEL: 'Market Place' })).toContain(
      'MARKETPLACE_CHANNEL must be a channel code',
    );
  });

  it('asks for the variables of the chosen scheme, and only those', () => {
    const oauth2 = bootMessage({ MARKETPLACE_AUTH: 'oauth2' });
    expect(oauth2).toContain('MARKETPLACE_TOKEN_URL');
    expect(oauth2).toContain('MARKETPLACE_CLIENT_ID is required with MARKETPLACE_AUTH=oauth2');
    expect(oauth2).toContain('MARKETPLACE_CLIENT_SECRET');
    expect(oauth2).not.toContain('MARKETPLACE_ACCESS_TOKEN');
    expect(bootMessage({ MARKETPLACE_AUTH: 'token' })).toContain(
      'MARKETPLACE_ACCESS_TOKEN is required with MARKETPLACE_AUTH=token',
    );
    expect(
      bootMessage({
        MARKETPLACE_AUTH: 'oauth2',
        MARKETPLACE_TOKEN_URL: 'https://api.ebay.com/identity/v1/oauth2/token',
        MARKETPLACE_CLIENT_ID: 'stockbridge',
        MARKETPLACE_CLIENT_SECRET: 'a-secret-of-some-length',
      }),
    ).toBe('');
    expect(bootMessage({ MARKETPLACE_AUTH: 'basic' })).toContain(
      'MARKETPLACE_AUTH must be one of none, token, oauth2',
    );
  });

  it('keeps the batch within eBay’s 25 and the rate above zero', () => {
    expect(bootMessage({ MARKETPLACE_BATCH_SIZE: '26' })).toContain('MARKETPLACE_BATCH_SIZE');
    expect(bootMessage({ MARKETPLACE_CALLS_PER_SECOND: '0' })).toContain('MARKETPLACE_CALLS_PER_SECOND');
  });
});
