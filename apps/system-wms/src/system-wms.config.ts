import { SystemConfig } from '@stockbridge/integration';
import { IsInt, Matches, Max, Min } from 'class-validator';

export class SystemWmsConfig extends SystemConfig {
  override PORT: number = 3012;

  /** Secrets the WMS signs its webhooks with, comma-separated: two during a rotation. */
  @Matches(/^[^,\s]{16,}(,[^,\s]{16,})?$/, {
    message: 'WMS_WEBHOOK_SECRETS must be one or two comma-separated secrets of at least 16 characters',
  })
  WMS_WEBHOOK_SECRETS!: string;

  /** How old (or how far in the future) a signature's timestamp may be. */
  @IsInt()
  @Min(10)
  @Max(3600)
  WMS_SIGNATURE_TOLERANCE_SECONDS: number = 300;
}
