// Decorator metadata (design:type) drives the string → number conversion; load the polyfill before any class is declared.
import 'reflect-metadata';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

const POSTGRES_URL = /^postgres(ql)?:\/\/.+/;
const REDIS_URL = /^rediss?:\/\/.+/;

/** Settings every HTTP app shares. */
export class CommonConfig {
  @Matches(POSTGRES_URL, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL!: string;

  @Matches(REDIS_URL, { message: 'REDIS_URL must be a redis:// URL' })
  REDIS_URL!: string;

  /** Prefix of every Redis key the platform writes, so deployments and tests can share one Redis. */
  @IsString()
  @Matches(/^[A-Za-z0-9:_-]{1,40}$/, {
    message: 'REDIS_PREFIX may hold letters, digits, ":", "_" and "-" only',
  })
  REDIS_PREFIX: string = 'sb:';

  @IsString()
  HOST: string = '127.0.0.1';

  @IsInt()
  @Min(0)
  @Max(65535)
  PORT: number = 3000;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: string = 'info';

  @IsInt()
  @Min(1)
  @Max(200)
  DB_POOL_SIZE: number = 20;

  @IsInt()
  @Min(1024)
  @Max(10 * 1024 * 1024)
  BODY_LIMIT_BYTES: number = 1024 * 1024;

  @IsOptional()
  @IsString()
  INSTANCE_ID?: string;
}
