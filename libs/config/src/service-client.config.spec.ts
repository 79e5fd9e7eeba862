import { IsOptional, IsString, MinLength } from 'class-validator';
import { CommonConfig } from './common.config';
import { ConfigError, loadConfig } from './load-config';
import { IsServiceToken, ServiceClientConfig } from './service-client.config';

const base = { DATABASE_URL: 'postgres://u@h/db', REDIS_URL: 'redis://h:6379' };
const TOKEN = 'a-service-token-of-32-characters';

/** The declaration every app carried before, to compare the boot messages with. */
class HandWritten extends CommonConfig {
  @IsString()
  @MinLength(16, { message: 'SERVICE_TOKEN must be at least 16 characters' })
  SERVICE_TOKEN!: string;
}

class OptionalToken extends CommonConfig {
  @IsOptional()
  @IsServiceToken()
  SERVICE_TOKEN?: string;
}

function problems(schema: new () => object, env: Record<string, string>): string[] {
  try {
    loadConfig(schema, { ...base, ...env });
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('ServiceClientConfig', () => {
  it('reads a service token of at least 16 characters', () => {
    expect(loadConfig(ServiceClientConfig, { ...base, SERVICE_TOKEN: TOKEN }).SERVICE_TOKEN).toBe(TOKEN);
  });

  it('refuses a missing or short service token at boot, with the message the apps always gave', () => {
    expect(problems(ServiceClientConfig, {})).toContain(
      'SERVICE_TOKEN: SERVICE_TOKEN must be at least 16 characters',
    );
    expect(problems(ServiceClientConfig, { SERVICE_TOKEN: 'short' })).toEqual([
      'SERVICE_TOKEN: SERVICE_TOKEN must be at least 16 characters',
    ]);
    for (const env of [{}, { SERVICE_TOKEN: 'short' }] as Record<string, string>[])
      expect(problems(ServiceClientConfig, env)).toEqual(problems(HandWritten, env));
  });

  it('lets an app make the token optional, still refusing a short one', () => {
    expect(loadConfig(OptionalToken, base).SERVICE_TOKEN).toBeUndefined();
    expect(loadConfig(OptionalToken, { ...base, SERVICE_TOKEN: TOKEN }).SERVICE_TOKEN).toBe(TOKEN);
    expect(problems(OptionalToken, { SERVICE_TOKEN: 'short' })).toEqual([
      'SERVICE_TOKEN: SERVICE_TOKEN must be at least 16 characters',
    ]);
  });
});
