import { ChannelApiConfig } from '@stockbridge/channel-api';
import { IsInt, Matches, Max, Min } from 'class-validator';

/** experience-pos: the stores' channel API (docs/channels/pos.md). */
export class PosConfig extends ChannelApiConfig {
  override PORT: number = 3030;

  /** A till's call the process API did not take (unreachable, 503) is tried again this often before 503. */
  override PROCESS_RETRIES: number = 2;

  @Matches(/^https?:\/\/.+/, { message: 'PROCESS_RESERVATIONS_URL must be an http(s) URL' })
  PROCESS_RESERVATIONS_URL!: string;

  /** Budget for one batch of transactions (up to 500) at the process API; other calls get PROCESS_TIMEOUT_MS. */
  @IsInt()
  @Min(1_000)
  @Max(120_000)
  TRANSACTIONS_TIMEOUT_MS: number = 30_000;

  /**
   * How long the hold time of a pickup first sent with an Idempotency-Key is remembered, so that a retry of it
   * is the same request to the process API: as long as the process API keeps its idempotency records
   * (its IDEMPOTENCY_RETENTION_HOURS).
   */
  @IsInt()
  @Min(1)
  @Max(24 * 30)
  IDEMPOTENCY_RETENTION_HOURS: number = 24;
}
