import { ServiceClientConfig } from '@stockbridge/config';
import { IsInt, IsString, Matches, Max, Min } from 'class-validator';

export class ProcessAllocationConfig extends ServiceClientConfig {
  override PORT: number = 3003;

  /** How often the outbox relay looks for rows it was not woken for (LISTEN/NOTIFY wakes it at once). */
  @IsInt()
  @Min(50)
  @Max(60_000)
  OUTBOX_POLL_MS: number = 1_000;

  /** When the daily summary postings are booked (cron, UTC); empty turns the schedule off. */
  @IsString()
  @Matches(/^$|^(\S+\s+){4}\S+$/, {
    message: 'POSTING_SUMMARY_CRON must be a five-field cron pattern or empty',
  })
  POSTING_SUMMARY_CRON: string = '30 0 * * *';
}
