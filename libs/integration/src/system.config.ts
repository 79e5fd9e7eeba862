import { ServiceClientConfig } from '@stockbridge/config';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { ApiKeyAuth, type BackendAuth, BasicAuth, NoAuth, OAuth2ClientCredentials } from './backend-auth';
import { BACKEND_AUTH_KINDS, type BackendAuthKind, IsCompleteBackendAuth } from './backend-auth.validation';

/** What every system app needs: its backend's address and how patiently to call it (docs/reliability.md#timeouts-stalls-and-shutdown). */
export class SystemConfig extends ServiceClientConfig {
  /** Base URL of the backend's native API (the sandbox in local runs). */
  @Matches(/^https?:\/\/[^/]+/, { message: 'BACKEND_URL must be an http(s):// URL' })
  BACKEND_URL!: string;

  /** One call's budget; below the queue lock duration (30 s). */
  @IsInt()
  @Min(100)
  @Max(20_000)
  BACKEND_TIMEOUT_MS: number = 5_000;

  @IsInt()
  @Min(1)
  @Max(1_000)
  BACKEND_FAILURES_TO_OPEN: number = 5;

  @IsInt()
  @Min(100)
  @Max(600_000)
  BACKEND_HALF_OPEN_AFTER_MS: number = 5_000;

  @IsInt()
  @Min(1)
  @Max(256)
  BACKEND_CONNECTIONS: number = 16;

  /**
   * How calls to the backend authenticate: `none`, `api-key` (BACKEND_API_KEY in BACKEND_API_KEY_HEADER),
   * `basic` (BACKEND_USERNAME, BACKEND_PASSWORD) or `oauth2` (client credentials grant: BACKEND_TOKEN_URL,
   * BACKEND_CLIENT_ID, BACKEND_CLIENT_SECRET, optional BACKEND_SCOPE). The variables of the chosen scheme are
   * required, those of the others refused: a partial configuration does not boot.
   */
  @IsIn(BACKEND_AUTH_KINDS, { message: `BACKEND_AUTH must be one of ${BACKEND_AUTH_KINDS.join(', ')}` })
  @IsCompleteBackendAuth()
  BACKEND_AUTH: BackendAuthKind = 'none';

  @IsOptional()
  @Matches(/^[A-Za-z0-9-]{1,64}$/, { message: 'BACKEND_API_KEY_HEADER must be an HTTP header name' })
  BACKEND_API_KEY_HEADER?: string;

  /** Secret. */
  @IsOptional()
  @IsString()
  BACKEND_API_KEY?: string;

  @IsOptional()
  @Matches(/^[^:]{1,256}$/, { message: 'BACKEND_USERNAME must be 1 to 256 characters without a colon' })
  BACKEND_USERNAME?: string;

  /** Secret. */
  @IsOptional()
  @IsString()
  BACKEND_PASSWORD?: string;

  @IsOptional()
  @Matches(/^https?:\/\/[^/]+/, { message: 'BACKEND_TOKEN_URL must be an http(s):// URL' })
  BACKEND_TOKEN_URL?: string;

  @IsOptional()
  @IsString()
  BACKEND_CLIENT_ID?: string;

  /** Secret. */
  @IsOptional()
  @IsString()
  BACKEND_CLIENT_SECRET?: string;

  @IsOptional()
  @IsString()
  BACKEND_SCOPE?: string;

  /** How the token request is encoded: `form` (RFC 6749) or `json` (token endpoints that take JSON only). */
  @IsOptional()
  @IsIn(['form', 'json'], { message: 'BACKEND_TOKEN_REQUEST must be form or json' })
  BACKEND_TOKEN_REQUEST?: 'form' | 'json';

  /** An OAuth2 token is renewed this long before it expires. */
  @IsInt()
  @Min(0)
  @Max(3_600_000)
  BACKEND_TOKEN_REFRESH_MARGIN_MS: number = 60_000;

  /** While the backend refuses our credentials (401), the queue toward it pauses this long between tries. */
  @IsInt()
  @Min(1_000)
  @Max(3_600_000)
  BACKEND_CREDENTIALS_RETRY_MS: number = 30_000;
}

/** The backend's authentication as configured (validated at boot by `IsCompleteBackendAuth`). */
export function backendAuth(backend: string, config: SystemConfig): BackendAuth {
  switch (config.BACKEND_AUTH) {
    case 'none':
      return new NoAuth();
    case 'api-key':
      return new ApiKeyAuth(config.BACKEND_API_KEY_HEADER ?? 'x-api-key', config.BACKEND_API_KEY!);
    case 'basic':
      return new BasicAuth(config.BACKEND_USERNAME!, config.BACKEND_PASSWORD!);
    case 'oauth2':
      return new OAuth2ClientCredentials(backend, {
        tokenUrl: config.BACKEND_TOKEN_URL!,
        clientId: config.BACKEND_CLIENT_ID!,
        clientSecret: config.BACKEND_CLIENT_SECRET!,
        scope: config.BACKEND_SCOPE,
        requestFormat: config.BACKEND_TOKEN_REQUEST ?? 'form',
        refreshMarginMs: config.BACKEND_TOKEN_REFRESH_MARGIN_MS,
        timeoutMs: config.BACKEND_TIMEOUT_MS,
      });
  }
}

export function guardOptions(config: SystemConfig) {
  return {
    timeoutMs: config.BACKEND_TIMEOUT_MS,
    retries: 2,
    failuresToOpen: config.BACKEND_FAILURES_TO_OPEN,
    halfOpenAfterMs: config.BACKEND_HALF_OPEN_AFTER_MS,
    credentialsRetryMs: config.BACKEND_CREDENTIALS_RETRY_MS,
  };
}
