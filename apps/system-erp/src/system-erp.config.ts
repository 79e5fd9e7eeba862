import { SystemConfig } from '@stockbridge/integration';

export class SystemErpConfig extends SystemConfig {
  override PORT: number = 3011;
}
