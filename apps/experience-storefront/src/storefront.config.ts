import { CommonConfig } from '@stockbridge/config';
import { IsInt, IsString, Matches, Max, Min, MinLength } from 'class-validator';

export class StorefrontConfig extends CommonConfig {
  override PORT: number = 3000;

  @Matches(/^https?:\/\/.+/, { message: 'PROCESS_RESERVATIONS_URL must be an http(s) URL' })
  PROCESS_RESERVATIONS_URL!: string;

  @Matches(/^https?:\/\/.+/, { message: 'PROCESS_ALLOCATION_URL must be an http(s) URL' })
  PROCESS_ALLOCATION_URL!: string;

  /** Presented to the process APIs; never sent to storefront clients. */
  @IsString()
  @MinLength(16, { message: 'SERVICE_TOKEN must be at least 16 characters' })
  SERVICE_TOKEN!: string;

  /** Budget for one call to a process API. */
  @IsInt()
  @Min(100)
  @Max(60_000)
  PROCESS_TIMEOUT_MS: number = 10_000;

  @IsInt()
  @Min(1)
  @Max(1024)
  PROCESS_CONNECTIONS: number = 64;

  /** How long a verified API key is trusted before it is looked up again (revocation delay). */
  @IsInt()
  @Min(0)
  @Max(300_000)
  API_KEY_CACHE_MS: number = 10_000;
}
