// Decorator metadata (design:type) drives the string → number conversion; load the polyfill before any class is declared.
import 'reflect-metadata';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength } from 'class-validator';

const POSTGRES_URL = /^postgres(ql)?:\/\/.+/;
const REDIS_URL = /^rediss?:\/\/.+/;

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);

/**
 * Reads an on/off variable from the raw environment value: implicit conversion would turn the string "false"
 * into `true`. Anything else is left as it is, for @IsBoolean to refuse with the variable's name.
 */
function Flag(): PropertyDecorator {
  return Transform(({ obj, key }) => {
    const raw: unknown = (obj as Record<string, unknown>)[key];
    if (typeof raw === 'boolean' || raw === undefined) return raw;
    const text = String(raw).trim().toLowerCase();
    if (TRUE.has(text)) return true;
    if (FALSE.has(text)) return false;
    return raw;
  });
}

const FLAG_MESSAGE = (name: string) => ({
  message: `${name} must be true or false (or 1/0, yes/no, on/off)`,
});

/** What createApp serves at the edge of every app (AppSpec.edge), resolved from CommonConfig. */
export interface EdgeSettings {
  /** Swagger UI at /docs. */
  swaggerUi: boolean;
  /** The OpenAPI document at /docs/openapi.json and /docs/openapi.yaml. */
  openApiJson: boolean;
  /** Prometheus metrics at /metrics. */
  metrics: boolean;
  /** When set, /metrics answers only `Authorization: Bearer <metricsToken>`. */
  metricsToken?: string;
  /** JSON bodies nesting objects and arrays deeper than this are refused (400 body-too-deep). */
  maxJsonDepth: number;
}

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

  /** `production` switches the defaults of SWAGGER_UI and OPENAPI_JSON to off (the Docker image sets it). */
  @IsOptional()
  @IsString()
  NODE_ENV?: string;

  /** Serve Swagger UI at /docs. Default: on, off when NODE_ENV=production. */
  @IsOptional()
  @Flag()
  @IsBoolean(FLAG_MESSAGE('SWAGGER_UI'))
  SWAGGER_UI?: boolean;

  /** Serve the OpenAPI document at /docs/openapi.json and .yaml. Default: on, off when NODE_ENV=production. */
  @IsOptional()
  @Flag()
  @IsBoolean(FLAG_MESSAGE('OPENAPI_JSON'))
  OPENAPI_JSON?: boolean;

  /** Serve Prometheus metrics at /metrics. Default: on. */
  @Flag()
  @IsBoolean(FLAG_MESSAGE('METRICS'))
  METRICS: boolean = true;

  /** Secret: when set, /metrics answers only `Authorization: Bearer <METRICS_TOKEN>`. */
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'METRICS_TOKEN must be at least 16 characters' })
  METRICS_TOKEN?: string;

  /** Deepest nesting of objects and arrays a JSON body may have. */
  @IsInt()
  @Min(2)
  @Max(256)
  MAX_JSON_DEPTH: number = 32;

  /** The edge settings createApp applies, with the production defaults resolved. */
  edge(): EdgeSettings {
    const production = this.NODE_ENV === 'production';
    return {
      swaggerUi: this.SWAGGER_UI ?? !production,
      openApiJson: this.OPENAPI_JSON ?? !production,
      metrics: this.METRICS,
      ...(this.METRICS_TOKEN ? { metricsToken: this.METRICS_TOKEN } : {}),
      maxJsonDepth: this.MAX_JSON_DEPTH,
    };
  }
}
