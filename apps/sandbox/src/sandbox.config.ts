import { CommonConfig } from '@stockbridge/config';
import {
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  registerDecorator,
  ValidateIf,
  type ValidationArguments,
} from 'class-validator';
import { AUTH_VARIABLES, type NativeCredential, parseNativeCredential } from './auth/native-credentials';
import { BACKENDS, type Backend } from './faults/faults';
import { type FaultsByBackend, noFaults, parseFaultsEnv } from './faults/faults-env';

/** Refuses a SANDBOX_<BACKEND>_AUTH value that does not parse (the message never quotes the secret). */
function IsNativeCredential() {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isNativeCredential',
      target: target.constructor,
      propertyName,
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' && parseNativeCredential(value).problem === undefined,
        defaultMessage: (args?: ValidationArguments) =>
          typeof args?.value === 'string'
            ? (parseNativeCredential(args.value).problem ?? '')
            : 'must be a string',
      },
    });
}

/** Refuses a SANDBOX_FAULTS value that PUT /admin/faults/:backend would refuse, naming each problem. */
function IsFaultsJson() {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isFaultsJson',
      target: target.constructor,
      propertyName,
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' && parseFaultsEnv(value).problems.length === 0,
        // loadConfig names the variable in front of the message.
        defaultMessage: (args?: ValidationArguments) =>
          typeof args?.value === 'string'
            ? parseFaultsEnv(args.value).problems.join('; ')
            : 'must be a JSON object of faults per backend',
      },
    });
}

export class SandboxConfig extends CommonConfig {
  override PORT: number = 3900;

  /** The sandbox uses no Redis; the common setting keeps a harmless default. */
  override REDIS_URL: string = 'redis://127.0.0.1:6379';

  /** Faults from the start, e.g. `{"erp":{"latencyMs":50,"outage":false}}`; the same fields as PUT /admin/faults/:backend. */
  @IsOptional()
  @IsFaultsJson()
  SANDBOX_FAULTS?: string;

  /** Where the WMS delivers its webhooks; set at start, changed with PUT /admin/wms/subscription. */
  @IsOptional()
  @Matches(/^https?:\/\/.+/, { message: 'SANDBOX_WMS_WEBHOOK_URL must be an http(s) URL' })
  SANDBOX_WMS_WEBHOOK_URL?: string;

  /** HMAC key of the webhook signatures (secret); required with SANDBOX_WMS_WEBHOOK_URL. */
  @ValidateIf(
    (c: SandboxConfig) =>
      c.SANDBOX_WMS_WEBHOOK_URL !== undefined || c.SANDBOX_WMS_WEBHOOK_SECRET !== undefined,
  )
  @IsString({ message: 'SANDBOX_WMS_WEBHOOK_SECRET is required with SANDBOX_WMS_WEBHOOK_URL' })
  @MinLength(1)
  @MaxLength(512)
  SANDBOX_WMS_WEBHOOK_SECRET?: string;

  /**
   * Bearer token of the admin routes (/admin/*: faults, seeding, the WMS webhook subscription, stats). Unset:
   * the admin routes refuse every request.
   */
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'SANDBOX_ADMIN_TOKEN must be at least 16 characters' })
  @MaxLength(512)
  SANDBOX_ADMIN_TOKEN?: string;

  /** The ERP native API's credential: `api-key:<header>:<key>`, `basic:<user>:<password>` or `oauth2:<client id>:<secret>`; unset: none. */
  @IsOptional()
  @IsNativeCredential()
  SANDBOX_ERP_AUTH?: string;

  /** The WMS native API's credential (same forms as SANDBOX_ERP_AUTH). */
  @IsOptional()
  @IsNativeCredential()
  SANDBOX_WMS_AUTH?: string;

  /** The OMS native API's credential (same forms as SANDBOX_ERP_AUTH). */
  @IsOptional()
  @IsNativeCredential()
  SANDBOX_OMS_AUTH?: string;

  /** The marketplace native API's credential (same forms as SANDBOX_ERP_AUTH). */
  @IsOptional()
  @IsNativeCredential()
  SANDBOX_MARKETPLACE_AUTH?: string;

  /** Lifetime of the access tokens of POST /oauth/token. */
  @IsInt()
  @Min(1)
  @Max(86_400)
  SANDBOX_TOKEN_TTL_SECONDS: number = 3600;

  /**
   * Calls per second the marketplace's Inventory API accepts (a token bucket, a burst of as many after a quiet
   * second); past it, 429 with Retry-After and eBay's error 2001. eBay allows 2,000,000 calls a day, an average of
   * 23 a second, which no test reaches: the sandbox limits per second instead (docs/channels/marketplace.md).
   * 0 turns the limit off.
   */
  @IsInt()
  @Min(0)
  @Max(100_000)
  SANDBOX_MARKETPLACE_INVENTORY_CALLS_PER_SECOND: number = 5;

  /**
   * Calls per second the marketplace's Fulfillment API (orders) accepts, likewise; eBay allows 100,000 calls a
   * day, an average of 1.2 a second. 0 turns the limit off.
   */
  @IsInt()
  @Min(0)
  @Max(100_000)
  SANDBOX_MARKETPLACE_ORDER_CALLS_PER_SECOND: number = 5;

  /** How long a request picked by `timeoutRate` hangs before its 504 (unless the client leaves first). */
  @IsInt()
  @Min(100)
  @Max(600_000)
  SANDBOX_TIMEOUT_HANG_MS: number = 60_000;

  /** The credential each backend's native API demands (none when its variable is unset). */
  nativeCredentials(): Partial<Record<Backend, NativeCredential>> {
    const out: Partial<Record<Backend, NativeCredential>> = {};
    for (const backend of BACKENDS) {
      const raw = (this as unknown as Record<string, string | undefined>)[AUTH_VARIABLES[backend]];
      const credential = raw ? parseNativeCredential(raw).credential : undefined;
      if (credential) out[backend] = credential;
    }
    return out;
  }

  /** Faults from SANDBOX_FAULTS, or none. */
  initialFaults(): FaultsByBackend {
    return this.SANDBOX_FAULTS ? parseFaultsEnv(this.SANDBOX_FAULTS).faults : noFaults();
  }
}
