import { SystemConfig } from '@stockbridge/integration';
import { IsInt, Max, Min } from 'class-validator';

export class SystemOmsConfig extends SystemConfig {
  override PORT: number = 3013;

  /** How often the OMS is asked for status changes (one poll per tick across replicas); 0 turns polling off. */
  @IsInt()
  @Min(0)
  @Max(3_600_000)
  OMS_STATUS_POLL_MS: number = 10_000;

  /** How far back the very first poll looks (no cursor yet). */
  @IsInt()
  @Min(0)
  @Max(30 * 24 * 3_600_000)
  OMS_STATUS_LOOKBACK_MS: number = 3_600_000;
}
