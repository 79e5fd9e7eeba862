import { SystemConfig } from '@stockbridge/integration';

export class SystemOmsConfig extends SystemConfig {
  override PORT: number = 3013;
}
