import { ChannelApiConfig } from '@stockbridge/channel-api';
import { Matches } from 'class-validator';

/**
 * The storefront's settings: those of every channel API (service token and budget toward the process APIs, the API
 * keys' cache, the rate limits; ChannelApiConfig) and where its two process APIs are.
 */
export class StorefrontConfig extends ChannelApiConfig {
  override PORT: number = 3000;

  @Matches(/^https?:\/\/.+/, { message: 'PROCESS_RESERVATIONS_URL must be an http(s) URL' })
  PROCESS_RESERVATIONS_URL!: string;

  @Matches(/^https?:\/\/.+/, { message: 'PROCESS_ALLOCATION_URL must be an http(s) URL' })
  PROCESS_ALLOCATION_URL!: string;
}
