import { CommonConfig } from '@stockbridge/config';
import { IsString, MinLength } from 'class-validator';

export class ProcessReturnsConfig extends CommonConfig {
  override PORT: number = 3004;

  /** Shared secret of the platform's layers: required on this API. */
  @IsString()
  @MinLength(16, { message: 'SERVICE_TOKEN must be at least 16 characters' })
  SERVICE_TOKEN!: string;
}
