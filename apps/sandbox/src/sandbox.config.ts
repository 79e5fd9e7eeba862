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
import { type FaultsByBackend, noFaults, parseFaultsEnv } from './faults/faults-env';

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

  /** How long a request picked by `timeoutRate` hangs before its 504 (unless the client leaves first). */
  @IsInt()
  @Min(100)
  @Max(600_000)
  SANDBOX_TIMEOUT_HANG_MS: number = 60_000;

  /** Faults from SANDBOX_FAULTS, or none. */
  initialFaults(): FaultsByBackend {
    return this.SANDBOX_FAULTS ? parseFaultsEnv(this.SANDBOX_FAULTS).faults : noFaults();
  }
}
