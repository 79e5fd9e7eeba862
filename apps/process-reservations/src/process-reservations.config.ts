import { ServiceClientConfig } from '@stockbridge/config';
import { IsInt, Max, Min } from 'class-validator';

export class ProcessReservationsConfig extends ServiceClientConfig {
  override PORT: number = 3001;

  @IsInt()
  @Min(100)
  @Max(60_000)
  EXPIRY_SWEEP_MS: number = 1_000;

  @IsInt()
  @Min(24)
  @Max(24 * 30)
  IDEMPOTENCY_RETENTION_HOURS: number = 24;

  @IsInt()
  @Min(1)
  @Max(7 * 24 * 3600)
  DEFAULT_TTL_SECONDS: number = 900;

  /** How often the read model catches up on levels changed by other processes (CLI, other replicas). */
  @IsInt()
  @Min(100)
  @Max(600_000)
  READ_MODEL_SWEEP_MS: number = 2_000;

  @IsInt()
  @Min(5)
  @Max(86_400)
  READ_MODEL_FULL_REFRESH_SECONDS: number = 300;

  /**
   * How often the read model is checked for a Redis that came back empty (its epoch key is gone); a reset
   * is republished in full at once, so no SKU shows a false 0 for longer than about this.
   */
  @IsInt()
  @Min(100)
  @Max(60_000)
  READ_MODEL_RESET_CHECK_MS: number = 1_000;

  /** Fallback poll of the outbox relay; inserts wake it at once through LISTEN/NOTIFY. */
  @IsInt()
  @Min(50)
  @Max(60_000)
  OUTBOX_POLL_MS: number = 1_000;
}
