import { request } from 'undici';
import { MarketplaceCallError } from './marketplace.port';

/**
 * How calls to the marketplace authenticate. Kept here, small, rather than borrowed from the system layer's
 * library (an experience app does not import it): a static bearer token (eBay's user access token, renewed by
 * the operator), or the OAuth2 client credentials grant (the sandbox's token endpoint). Secrets never appear in
 * errors or logs.
 */
export abstract class MarketplaceAuth {
  abstract readonly kind: 'none' | 'token' | 'oauth2';
  /** The headers for the next call. */
  abstract headers(): Promise<Record<string, string>>;
  /** The marketplace refused the credential: forget a cached token, so that the next call fetches another. */
  refused(): void {}
}

export class NoMarketplaceAuth extends MarketplaceAuth {
  readonly kind = 'none';
  headers(): Promise<Record<string, string>> {
    return Promise.resolve({});
  }
}

export class StaticTokenAuth extends MarketplaceAuth {
  readonly kind = 'token';
  constructor(private readonly token: string) {
    super();
  }
  headers(): Promise<Record<string, string>> {
    return Promise.resolve({ authorization: `Bearer ${this.token}` });
  }
}

export interface ClientCredentials {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  scope?: string;
  /** `form` (RFC 6749, eBay) or `json` (the sandbox takes JSON only). */
  format: 'form' | 'json';
  timeoutMs: number;
}

/**
 * OAuth2 client credentials grant (RFC 6749 §4.4), the client authenticated with HTTP basic. The token is kept
 * until a minute (at most half its lifetime) before it expires; concurrent callers share one token request.
 */
export class ClientCredentialsAuth extends MarketplaceAuth {
  readonly kind = 'oauth2';
  private token: { header: string; renewAt: number } | null = null;
  private pending: Promise<string> | null = null;

  constructor(private readonly options: ClientCredentials) {
    super();
  }

  async headers(): Promise<Record<string, string>> {
    if (this.token && Date.now() < this.token.renewAt) return { authorization: this.token.header };
    this.pending ??= this.fetch().finally(() => (this.pending = null));
    return { authorization: await this.pending };
  }

  override refused(): void {
    this.token = null;
  }

  private async fetch(): Promise<string> {
    const { tokenUrl, clientId, clientSecret, scope, format, timeoutMs } = this.options;
    const params: Record<string, string> = { grant_type: 'client_credentials', ...(scope ? { scope } : {}) };
    const basic = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString(
      'base64',
    );
    const started = Date.now();
    let status: number;
    let body: { access_token?: unknown; expires_in?: unknown; error?: unknown } = {};
    try {
      const res = await request(tokenUrl, {
        method: 'POST',
        headers: {
          accept: 'application/json',
          authorization: `Basic ${basic}`,
          'content-type': format === 'json' ? 'application/json' : 'application/x-www-form-urlencoded',
        },
        body: format === 'json' ? JSON.stringify(params) : new URLSearchParams(params).toString(),
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      status = res.statusCode;
      body = (await res.body.json().catch(() => ({}))) as typeof body;
    } catch (err) {
      throw new MarketplaceCallError('unavailable', `token endpoint unreachable: ${(err as Error).message}`);
    }
    if (status === 400 || status === 401)
      throw new MarketplaceCallError(
        'unauthorized',
        `token request refused (${String(body.error ?? status)})`,
        status,
      );
    if (status >= 300 || typeof body.access_token !== 'string')
      throw new MarketplaceCallError('unavailable', `token endpoint answered ${status}`, status);
    const lifetimeMs = Number(body.expires_in) > 0 ? Number(body.expires_in) * 1000 : 300_000;
    const header = `Bearer ${body.access_token}`;
    this.token = { header, renewAt: started + lifetimeMs - Math.min(60_000, lifetimeMs / 2) };
    return header;
  }
}
