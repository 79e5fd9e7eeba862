import { CommonConfig } from '@stockbridge/config';
import { IsInt, IsString, Matches, Max, Min, MinLength } from 'class-validator';

/** What every system app needs: its backend's address and how patiently to call it (RELIABILITY.md §3.14). */
export class SystemConfig extends CommonConfig {
  /** Shared secret other layers present as `Authorization: Bearer <token>` on this internal API. */
  @IsString()
  @MinLength(16, { message: 'SERVICE_TOKEN must be at least 16 characters' })
  SERVICE_TOKEN!: string;

  /** Base URL of the backend's native API (the sandbox in local runs). */
  @Matches(/^https?:\/\/[^/]+/, { message: 'BACKEND_URL must be an http(s):// URL' })
  BACKEND_URL!: string;

  /** One call's budget; below the queue lock duration (30 s). */
  @IsInt()
  @Min(100)
  @Max(20_000)
  BACKEND_TIMEOUT_MS: number = 5_000;

  @IsInt()
  @Min(1)
  @Max(1_000)
  BACKEND_FAILURES_TO_OPEN: number = 5;

  @IsInt()
  @Min(100)
  @Max(600_000)
  BACKEND_HALF_OPEN_AFTER_MS: number = 5_000;

  @IsInt()
  @Min(1)
  @Max(256)
  BACKEND_CONNECTIONS: number = 16;
}

export function guardOptions(config: SystemConfig) {
  return {
    timeoutMs: config.BACKEND_TIMEOUT_MS,
    retries: 2,
    failuresToOpen: config.BACKEND_FAILURES_TO_OPEN,
    halfOpenAfterMs: config.BACKEND_HALF_OPEN_AFTER_MS,
  };
}
