import { parseRateLimitRules, trustedProxies } from '@stockbridge/app-platform';
import { ServiceClientConfig } from '@stockbridge/config';
import {
  IsInt,
  IsString,
  Max,
  Min,
  Validate,
  type ValidationArguments,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
} from 'class-validator';

/** Checks a setting with its parser; the message is the parser's, which names what is wrong. */
function parserConstraint(name: string, parse: (value: string) => unknown) {
  const failure = (value: unknown): string | undefined => {
    try {
      parse(String(value));
      return undefined;
    } catch (err) {
      return err instanceof Error ? err.message : String(err);
    }
  };
  @ValidatorConstraint({ name })
  class ParserConstraint implements ValidatorConstraintInterface {
    validate(value: unknown): boolean {
      return failure(value) === undefined;
    }

    defaultMessage(args: ValidationArguments): string {
      return failure(args.value) ?? 'is invalid';
    }
  }
  return ParserConstraint;
}

const RateLimitsSetting = parserConstraint('rateLimits', parseRateLimitRules);
const TrustProxySetting = parserConstraint('trustProxy', trustedProxies);

/**
 * What every channel (experience) API is configured with: the service token and budget toward the process APIs,
 * the API keys' cache, and the rate limits. An app's config class extends it with its URLs and port.
 */
export class ChannelApiConfig extends ServiceClientConfig {
  /** Budget for one call to a process API. */
  @IsInt()
  @Min(100)
  @Max(60_000)
  PROCESS_TIMEOUT_MS: number = 10_000;

  @IsInt()
  @Min(1)
  @Max(1024)
  PROCESS_CONNECTIONS: number = 64;

  /**
   * How often a call to a process API is tried again when the process API could not be reached or answered 503
   * (nothing was done); a call that timed out is not, its caller retries. 0: never.
   */
  @IsInt()
  @Min(0)
  @Max(5)
  PROCESS_RETRIES: number = 0;

  /**
   * How long the set of active API keys held in memory is used before it is loaded again: a revocation takes
   * effect within this time. 0 loads it for every request (tests only).
   */
  @IsInt()
  @Min(0)
  @Max(300_000)
  API_KEY_CACHE_MS: number = 10_000;

  /** Requests per minute per API key, unless RATE_LIMITS says otherwise; 0: no limit. */
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  RATE_LIMIT_PER_MINUTE: number = 6_000;

  /**
   * Overrides per channel and per route, JSON: `{"channel:web": 12000, "route:POST /v1/reservations": 600,
   * "channel:web route:POST /v1/reservations": 1200}` (docs/operations.md, "Rate limits").
   */
  @IsString()
  @Validate(RateLimitsSetting)
  RATE_LIMITS: string = '';

  /** Requests per minute per client address without a valid API key (they are answered 401 anyway). */
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  RATE_LIMIT_UNAUTHENTICATED_PER_MINUTE: number = 60;

  /**
   * Which peers may name the client in X-Forwarded-For (for the per-address limit): `false`, `true`, or
   * comma-separated addresses, CIDR ranges, `loopback`, `linklocal`, `uniquelocal`.
   */
  @IsString()
  @Validate(TrustProxySetting)
  TRUST_PROXY: string = 'false';
}
