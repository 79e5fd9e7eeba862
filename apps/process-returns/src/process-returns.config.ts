import { ServiceClientConfig } from '@stockbridge/config';

export class ProcessReturnsConfig extends ServiceClientConfig {
  override PORT: number = 3004;
}
