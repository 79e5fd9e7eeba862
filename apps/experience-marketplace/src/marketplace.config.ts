import { ServiceClientConfig } from '@stockbridge/config';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, ValidateIf } from 'class-validator';

const AUTH_KINDS = ['none', 'token', 'oauth2'] as const;

/**
 * experience-marketplace: the marketplace channel's outbound quantities (docs/channels/marketplace.md). The
 * SERVICE_TOKEN guards its own API (resync, status), which ops and the platform's operators call.
 */
export class MarketplaceConfig extends ServiceClientConfig {
  override PORT: number = 3040;

  /** The channel whose availability this app keeps on the marketplace (a channel of the catalog). */
  @Matches(/^[a-z0-9-]{1,32}$/, { message: 'MARKETPLACE_CHANNEL must be a channel code (a-z, 0-9, -)' })
  MARKETPLACE_CHANNEL: string = 'marketplace';

  /** Base URL of the marketplace's API (eBay's https://api.ebay.com; the sandbox in local runs). */
  @Matches(/^https?:\/\/[^/]+/, { message: 'MARKETPLACE_URL must be an http(s):// URL' })
  MARKETPLACE_URL!: string;

  /**
   * How calls to the marketplace authenticate: `none`, `token` (MARKETPLACE_ACCESS_TOKEN as a bearer token) or
   * `oauth2` (client credentials: MARKETPLACE_TOKEN_URL, MARKETPLACE_CLIENT_ID, MARKETPLACE_CLIENT_SECRET).
   */
  @IsIn(AUTH_KINDS, { message: `MARKETPLACE_AUTH must be one of ${AUTH_KINDS.join(', ')}` })
  MARKETPLACE_AUTH: (typeof AUTH_KINDS)[number] = 'none';

  /** Secret. */
  @ValidateIf((c: MarketplaceConfig) => c.MARKETPLACE_AUTH === 'token')
  @IsString({ message: 'MARKETPLACE_ACCESS_TOKEN is required with MARKETPLACE_AUTH=token' })
  @MinLength(8, { message: 'MARKETPLACE_ACCESS_TOKEN must be at least 8 characters' })
  MARKETPLACE_ACCESS_TOKEN?: string;

  @ValidateIf((c: MarketplaceConfig) => c.MARKETPLACE_AUTH === 'oauth2')
  @Matches(/^https?:\/\/[^/]+/, {
    message: 'MARKETPLACE_TOKEN_URL must be an http(s):// URL (required with MARKETPLACE_AUTH=oauth2)',
  })
  MARKETPLACE_TOKEN_URL?: string;

  @ValidateIf((c: MarketplaceConfig) => c.MARKETPLACE_AUTH === 'oauth2')
  @IsString({ message: 'MARKETPLACE_CLIENT_ID is required with MARKETPLACE_AUTH=oauth2' })
  @MinLength(1, { message: 'MARKETPLACE_CLIENT_ID is required with MARKETPLACE_AUTH=oauth2' })
  MARKETPLACE_CLIENT_ID?: string;

  /** Secret. */
  @ValidateIf((c: MarketplaceConfig) => c.MARKETPLACE_AUTH === 'oauth2')
  @IsString({ message: 'MARKETPLACE_CLIENT_SECRET is required with MARKETPLACE_AUTH=oauth2' })
  @MinLength(8, { message: 'MARKETPLACE_CLIENT_SECRET must be at least 8 characters' })
  MARKETPLACE_CLIENT_SECRET?: string;

  @IsOptional()
  @IsString()
  MARKETPLACE_SCOPE?: string;

  /** How the token request is encoded: `form` (RFC 6749, eBay) or `json` (the sandbox). */
  @IsIn(['form', 'json'], { message: 'MARKETPLACE_TOKEN_REQUEST must be form or json' })
  MARKETPLACE_TOKEN_REQUEST: 'form' | 'json' = 'form';

  /** The marketplace's rate budget for inventory calls: calls start at most this often per second. */
  @IsInt()
  @Min(1)
  @Max(1_000)
  MARKETPLACE_CALLS_PER_SECOND: number = 5;

  /** One call's budget (a call that takes longer counts as failed and is retried). */
  @IsInt()
  @Min(100)
  @Max(60_000)
  MARKETPLACE_TIMEOUT_MS: number = 5_000;

  /** SKUs per quantity call, at most the marketplace's (25 for eBay). */
  @IsInt()
  @Min(1)
  @Max(25)
  MARKETPLACE_BATCH_SIZE: number = 25;

  /** First backoff after a failed call (marketplace down, timeout); doubles per failure, with jitter. */
  @IsInt()
  @Min(10)
  @Max(60_000)
  MARKETPLACE_BACKOFF_MS: number = 500;

  /** The longest backoff. */
  @IsInt()
  @Min(100)
  @Max(600_000)
  MARKETPLACE_BACKOFF_MAX_MS: number = 15_000;

  /** A full resync this often (one replica runs it); 0 turns the schedule off. */
  @IsInt()
  @Min(0)
  @Max(7 * 24 * 3_600)
  MARKETPLACE_RESYNC_INTERVAL_SECONDS: number = 3_600;

  /** How often an idle pusher looks for SKUs due (a backoff that ended, a figure turned stale). */
  @IsInt()
  @Min(50)
  @Max(60_000)
  MARKETPLACE_IDLE_MS: number = 1_000;

  /** How often a replica that is not the leader tries to become it. */
  @IsInt()
  @Min(100)
  @Max(600_000)
  MARKETPLACE_LEADER_RETRY_MS: number = 5_000;
}
