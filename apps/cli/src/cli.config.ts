import { ConfigError, loadConfig } from '@stockbridge/config';
import { IsOptional, IsString, Matches } from 'class-validator';
import { CliError } from './cli.error';

/** The CLI's environment. Only DATABASE_URL is required; without REDIS_URL the read model is not published. */
export class CliConfig {
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL!: string;

  @IsOptional()
  @Matches(/^rediss?:\/\/.+/, { message: 'REDIS_URL must be a redis:// URL' })
  REDIS_URL?: string;

  @IsString()
  @Matches(/^[A-Za-z0-9:_-]{1,40}$/, {
    message: 'REDIS_PREFIX may hold letters, digits, ":", "_" and "-" only',
  })
  REDIS_PREFIX: string = 'sb:';
}

export function loadCliConfig(env: Record<string, string | undefined>): CliConfig {
  if (!env.DATABASE_URL) {
    throw new CliError(
      'DATABASE_URL is not set (e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/stockbridge)',
    );
  }
  try {
    return loadConfig(CliConfig, env);
  } catch (err) {
    if (err instanceof ConfigError) throw new CliError(`invalid configuration: ${err.problems.join('; ')}`);
    throw err;
  }
}

/** A URL fit for printing: the password is masked. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable URL)';
  }
}
