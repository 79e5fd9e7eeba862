import { Agent } from 'undici';
import { BackendHttpError, retryAfterMs } from './backend-http';

/**
 * How calls to one backend authenticate: the headers to add to each request, and what to do when the backend
 * answers 401. Implementations never log or expose their secrets (not even in errors).
 */
export interface BackendAuth {
  /** Which scheme (for logs and health): `none`, `api-key`, `basic`, `oauth2`. */
  readonly kind: string;
  /** The headers to send with the next request. */
  headers(signal?: AbortSignal): Promise<Record<string, string>>;
  /** Releases what it holds (connections to a token endpoint). */
  close?(): Promise<void>;
  /**
   * The backend refused the credential that `headers` gave (401). Returns whether asking for the headers again
   * may help (a cached token dropped), so that the caller retries once.
   */
  rejected(sent: Record<string, string>): boolean;
}

/** No credentials: a backend on a private network that authenticates nothing. */
export class NoAuth implements BackendAuth {
  readonly kind = 'none';

  headers(): Promise<Record<string, string>> {
    return Promise.resolve({});
  }

  rejected(): boolean {
    return false;
  }
}

/** A static API key in a header of the backend's choice (`x-api-key` by default). */
export class ApiKeyAuth implements BackendAuth {
  readonly kind = 'api-key';
  private readonly header: string;

  constructor(
    header: string,
    private readonly key: string,
  ) {
    this.header = header.toLowerCase();
  }

  headers(): Promise<Record<string, string>> {
    return Promise.resolve({ [this.header]: this.key });
  }

  rejected(): boolean {
    return false;
  }
}

/** HTTP basic authentication (RFC 7617). */
export class BasicAuth implements BackendAuth {
  readonly kind = 'basic';
  private readonly value: string;

  constructor(username: string, password: string) {
    this.value = basicCredentials(username, password);
  }

  headers(): Promise<Record<string, string>> {
    return Promise.resolve({ authorization: this.value });
  }

  rejected(): boolean {
    return false;
  }
}

export function basicCredentials(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}

export interface OAuth2ClientCredentialsOptions {
  /** The authorization server's token endpoint (absolute URL). */
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  /** Space-separated scopes to ask for; none by default. */
  scope?: string;
  /**
   * How the token request's parameters are sent: `form` (application/x-www-form-urlencoded, RFC 6749 §4.4) or
   * `json` (servers that take JSON only, the sandbox among them).
   */
  requestFormat?: 'form' | 'json';
  /** A token is renewed this long before it expires (at most half of its lifetime). */
  refreshMarginMs?: number;
  /** Budget of one token request. */
  timeoutMs?: number;
  /** The clock, for tests. */
  now?: () => number;
}

interface CachedToken {
  header: string;
  /** When to stop using it (its expiry minus the margin). */
  renewAt: number;
}

/** Lifetime assumed when the token response has no `expires_in`. */
const DEFAULT_LIFETIME_MS = 300_000;

/**
 * OAuth 2.0 client credentials grant (RFC 6749 §4.4): a bearer token from the token endpoint, the client
 * authenticated with HTTP basic (`client_secret_basic`). The token is cached until shortly before it expires;
 * concurrent callers share one token request (single flight); a 401 from the backend drops the cached token
 * so that the caller's one retry fetches a fresh one. The token endpoint's refusal (400/401) surfaces as a
 * `BackendHttpError` with status 401, so that it is classified as refused credentials.
 */
export class OAuth2ClientCredentials implements BackendAuth {
  readonly kind = 'oauth2';
  private cached: CachedToken | null = null;
  private pending: Promise<CachedToken> | null = null;
  private readonly now: () => number;
  /** Connections to the token endpoint, its own so that closing it leaves nothing open. */
  private readonly agent = new Agent({ connections: 2, keepAliveTimeout: 10_000 });
  /** Token requests made: for tests and metrics. */
  tokenRequests = 0;

  constructor(
    readonly backend: string,
    private readonly options: OAuth2ClientCredentialsOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  async headers(): Promise<Record<string, string>> {
    const token =
      this.cached && this.now() < this.cached.renewAt ? this.cached : await this.fetchSingleFlight();
    return { authorization: token.header };
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  rejected(sent: Record<string, string>): boolean {
    // Drop the token only if it is still the one that was refused (another caller may have renewed it).
    if (this.cached && this.cached.header === sent.authorization) this.cached = null;
    return true;
  }

  private fetchSingleFlight(): Promise<CachedToken> {
    this.pending ??= this.fetchToken().finally(() => {
      this.pending = null;
    });
    return this.pending;
  }

  private async fetchToken(): Promise<CachedToken> {
    const { tokenUrl, clientId, clientSecret, scope } = this.options;
    const params: Record<string, string> = { grant_type: 'client_credentials', ...(scope ? { scope } : {}) };
    const json = this.options.requestFormat === 'json';
    this.tokenRequests++;
    const started = this.now();
    const url = new URL(tokenUrl);
    const res = await this.agent.request({
      origin: url.origin,
      path: `${url.pathname}${url.search}`,
      method: 'POST',
      headers: {
        accept: 'application/json',
        'content-type': json ? 'application/json' : 'application/x-www-form-urlencoded',
        // RFC 6749 §2.3.1: the client id and secret form-encoded, then basic.
        authorization: basicCredentials(encodeURIComponent(clientId), encodeURIComponent(clientSecret)),
      },
      body: json ? JSON.stringify(params) : new URLSearchParams(params).toString(),
      headersTimeout: this.options.timeoutMs ?? 5_000,
      bodyTimeout: this.options.timeoutMs ?? 5_000,
    });
    const text = await res.body.text();
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      // not JSON: handled below
    }
    if (res.statusCode >= 400) {
      // 400 invalid_client / unauthorized_client and 401 both mean: these credentials are refused.
      const status = res.statusCode === 400 || res.statusCode === 401 ? 401 : res.statusCode;
      const error = typeof body.error === 'string' ? body.error : `status ${res.statusCode}`;
      throw new BackendHttpError(
        `${this.backend} token endpoint`,
        status,
        { error: `token request refused: ${error}` },
        retryAfterMs(res.headers['retry-after']),
      );
    }
    const accessToken = body.access_token;
    const tokenType = typeof body.token_type === 'string' ? body.token_type : 'Bearer';
    if (typeof accessToken !== 'string' || accessToken === '' || tokenType.toLowerCase() !== 'bearer') {
      throw new BackendHttpError(
        `${this.backend} token endpoint`,
        502,
        { error: 'the token response has no bearer access_token' },
        null,
      );
    }
    const expiresIn = Number(body.expires_in);
    const lifetimeMs = Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn * 1000 : DEFAULT_LIFETIME_MS;
    const margin = Math.min(this.options.refreshMarginMs ?? 60_000, lifetimeMs / 2);
    const token = { header: `Bearer ${accessToken}`, renewAt: started + lifetimeMs - margin };
    this.cached = token;
    return token;
  }
}
