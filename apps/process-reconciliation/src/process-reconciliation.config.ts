import { ServiceClientConfig } from '@stockbridge/config';
import { IsInt, IsString, Matches, Max, Min } from 'class-validator';

export class ProcessReconciliationConfig extends ServiceClientConfig {
  override PORT: number = 3002;

  @Matches(/^https?:\/\/[^/]+/, { message: 'SYSTEM_ERP_URL must be an http(s):// URL' })
  SYSTEM_ERP_URL!: string;

  @Matches(/^https?:\/\/[^/]+/, { message: 'SYSTEM_WMS_URL must be an http(s):// URL' })
  SYSTEM_WMS_URL!: string;

  /** When the scheduled run happens (cron, server time); empty turns the schedule off. */
  @IsString()
  @Matches(/^$|^(\S+\s+){4}\S+$/, {
    message: 'RECONCILIATION_CRON must be a five-field cron pattern or empty',
  })
  RECONCILIATION_CRON: string = '0 3 * * *';

  /** A variance of more units than this opens an exception. */
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  VARIANCE_THRESHOLD_UNITS: number = 0;

  /** Budget of one snapshot request to a system API (it pages through the backend). */
  @IsInt()
  @Min(1_000)
  @Max(600_000)
  SNAPSHOT_TIMEOUT_MS: number = 60_000;

  /** How long runs' variance lines are kept; older ones are purged after each run (the run stays). */
  @IsInt()
  @Min(1)
  @Max(3650)
  RECONCILIATION_LINE_RETENTION_DAYS: number = 30;
}
