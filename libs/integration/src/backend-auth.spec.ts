import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '@stockbridge/config';
import { ApiKeyAuth, BasicAuth, OAuth2ClientCredentials } from './backend-auth';
import { BackendHttp, BackendHttpError } from './backend-http';
import { backendAuth, SystemConfig } from './system.config';

/**
 * A tiny backend with an OAuth2 token endpoint: tokens it issued are accepted until it forgets them
 * (`revokeAll`), and every request is recorded.
 */
class FakeBackend {
  readonly server: Server;
  readonly seen: { path: string; headers: IncomingMessage['headers']; body: string }[] = [];
  tokenRequests = 0;
  expiresIn = 3600;
  tokenDelayMs = 0;
  valid = new Set<string>();
  /** Refuse every token, even fresh ones. */
  rejectAll = false;
  private issued = 0;

  constructor() {
    this.server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (body += c));
      req.on('end', () => {
        this.seen.push({ path: req.url ?? '', headers: req.headers, body });
        const send = (status: number, payload: unknown) => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(payload));
        };
        if (req.url === '/token') {
          this.tokenRequests++;
          const expected = `Basic ${Buffer.from('client-1:s3cret-value').toString('base64')}`;
          if (req.headers.authorization !== expected) return send(401, { error: 'invalid_client' });
          const token = `tok-${++this.issued}`;
          this.valid.add(token);
          setTimeout(
            () => send(200, { access_token: token, token_type: 'Bearer', expires_in: this.expiresIn }),
            this.tokenDelayMs,
          );
          return;
        }
        const auth = req.headers.authorization ?? '';
        if (this.rejectAll || !this.valid.has(auth.replace(/^Bearer /, '')))
          return send(401, { error: 'UNAUTHORIZED' });
        send(200, { ok: true, token: auth });
      });
    });
  }

  async start(): Promise<string> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  revokeAll(): void {
    this.valid.clear();
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    this.server.close();
    await once(this.server, 'close');
  }
}

describe('backend authentication', () => {
  let backend: FakeBackend;
  let url: string;
  let http: BackendHttp | undefined;
  let clock = 1_000_000;

  beforeEach(async () => {
    backend = new FakeBackend();
    url = await backend.start();
    clock = 1_000_000;
  });

  afterEach(async () => {
    await http?.close();
    http = undefined;
    await backend.stop();
  });

  const oauth = (overrides: Partial<ConstructorParameters<typeof OAuth2ClientCredentials>[1]> = {}) =>
    new OAuth2ClientCredentials('erp', {
      tokenUrl: `${url}/token`,
      clientId: 'client-1',
      clientSecret: 's3cret-value',
      scope: 'erp.write',
      refreshMarginMs: 60_000,
      now: () => clock,
      ...overrides,
    });

  it('fetches one OAuth2 token with the client credentials grant and reuses it for later calls', async () => {
    const auth = oauth();
    http = new BackendHttp('erp', url, 4, auth);
    for (let i = 0; i < 3; i++) expect((await http.request('GET', '/things')).status).toBe(200);
    expect(backend.tokenRequests).toBe(1);
    const tokenCall = backend.seen.find((s) => s.path === '/token')!;
    expect(tokenCall.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(tokenCall.body))).toEqual({
      grant_type: 'client_credentials',
      scope: 'erp.write',
    });
    expect(backend.seen.filter((s) => s.path === '/things').map((s) => s.headers.authorization)).toEqual([
      'Bearer tok-1',
      'Bearer tok-1',
      'Bearer tok-1',
    ]);
  });

  it('sends the token request as JSON when told to', async () => {
    http = new BackendHttp('erp', url, 4, oauth({ requestFormat: 'json' }));
    await http.request('GET', '/things');
    const tokenCall = backend.seen.find((s) => s.path === '/token')!;
    expect(tokenCall.headers['content-type']).toBe('application/json');
    expect(JSON.parse(tokenCall.body)).toEqual({ grant_type: 'client_credentials', scope: 'erp.write' });
  });

  it('renews the token shortly before it expires, not after', async () => {
    backend.expiresIn = 300;
    http = new BackendHttp('erp', url, 4, oauth());
    await http.request('GET', '/things');
    clock += 239_000; // 61 s before expiry: still good
    await http.request('GET', '/things');
    expect(backend.tokenRequests).toBe(1);
    clock += 2_000; // 59 s before expiry: inside the 60 s margin
    const res = await http.request<{ token: string }>('GET', '/things');
    expect(backend.tokenRequests).toBe(2);
    expect(res.body.token).toBe('Bearer tok-2');
  });

  it('fetches the token once for many concurrent calls (single flight)', async () => {
    backend.tokenDelayMs = 100;
    http = new BackendHttp('erp', url, 16, oauth());
    const results = await Promise.all(Array.from({ length: 20 }, () => http!.request('GET', '/things')));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(backend.tokenRequests).toBe(1);
  });

  it('drops a token the backend refuses and retries once with a fresh one', async () => {
    http = new BackendHttp('erp', url, 4, oauth());
    await http.request('GET', '/things');
    backend.revokeAll();
    const res = await http.request<{ token: string }>('GET', '/things');
    expect(res.status).toBe(200);
    expect(res.body.token).toBe('Bearer tok-2');
    expect(backend.tokenRequests).toBe(2);
  });

  it('gives up after one retry when the fresh token is refused too', async () => {
    http = new BackendHttp('erp', url, 4, oauth());
    backend.rejectAll = true;
    const err = await http.request('GET', '/things').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendHttpError);
    expect((err as BackendHttpError).status).toBe(401);
    expect(backend.seen.filter((s) => s.path === '/things')).toHaveLength(2);
    expect(backend.tokenRequests).toBe(2);
  });

  it('reports refused client credentials as a 401 without the secret in the message', async () => {
    http = new BackendHttp('erp', url, 4, oauth({ clientSecret: 'wrong-secret-value' }));
    const err = await http.request('GET', '/things').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendHttpError);
    expect((err as BackendHttpError).status).toBe(401);
    expect(String((err as Error).message)).toContain('invalid_client');
    expect(JSON.stringify(err)).not.toContain('wrong-secret-value');
    expect(String((err as Error).message)).not.toContain('wrong-secret-value');
    expect(backend.seen.filter((s) => s.path === '/things')).toHaveLength(0);
  });

  it('sends an API key in the configured header and basic credentials as Authorization', async () => {
    const key = new BackendHttp('wms', url, 1, new ApiKeyAuth('X-Wms-Key', 'key-123456'));
    const basic = new BackendHttp('oms', url, 1, new BasicAuth('stockbridge', 'pa:ss word'));
    try {
      await key.request('GET', '/k').catch(() => undefined);
      await basic.request('GET', '/b').catch(() => undefined);
    } finally {
      await key.close();
      await basic.close();
    }
    expect(backend.seen.find((s) => s.path === '/k')!.headers['x-wms-key']).toBe('key-123456');
    expect(backend.seen.find((s) => s.path === '/b')!.headers.authorization).toBe(
      `Basic ${Buffer.from('stockbridge:pa:ss word').toString('base64')}`,
    );
    // Static credentials are not retried: the same key would be refused again.
    expect(backend.seen.filter((s) => s.path === '/k')).toHaveLength(1);
  });
});

describe('backend authentication configuration', () => {
  const base = {
    DATABASE_URL: 'postgres://x@127.0.0.1/x',
    REDIS_URL: 'redis://127.0.0.1:6379',
    SERVICE_TOKEN: 'a-service-token-of-length',
    BACKEND_URL: 'http://127.0.0.1:1',
  };
  const problems = (env: Record<string, string>): string => {
    try {
      loadConfig(SystemConfig, { ...base, ...env });
      return '';
    } catch (err) {
      return (err as Error).message;
    }
  };

  it('boots without backend authentication by default', () => {
    expect(backendAuth('erp', loadConfig(SystemConfig, base)).kind).toBe('none');
  });

  it('builds each scheme from complete settings', () => {
    const kinds = [
      { BACKEND_AUTH: 'api-key', BACKEND_API_KEY: 'key-123456', BACKEND_API_KEY_HEADER: 'X-Key' },
      { BACKEND_AUTH: 'basic', BACKEND_USERNAME: 'u', BACKEND_PASSWORD: 'password1' },
      {
        BACKEND_AUTH: 'oauth2',
        BACKEND_TOKEN_URL: 'http://127.0.0.1:1/token',
        BACKEND_CLIENT_ID: 'c',
        BACKEND_CLIENT_SECRET: 'secret-123',
      },
    ].map((env) => backendAuth('erp', loadConfig(SystemConfig, { ...base, ...env })).kind);
    expect(kinds).toEqual(['api-key', 'basic', 'oauth2']);
  });

  it('refuses a partial configuration at boot, naming the variables but not the secrets', () => {
    const missing = problems({ BACKEND_AUTH: 'oauth2', BACKEND_CLIENT_SECRET: 'top-secret-99' });
    expect(missing).toContain('BACKEND_AUTH=oauth2 needs BACKEND_TOKEN_URL, BACKEND_CLIENT_ID');
    expect(missing).not.toContain('top-secret-99');
    expect(problems({ BACKEND_PASSWORD: 'stray-password' })).toContain(
      'BACKEND_PASSWORD is not used with BACKEND_AUTH=none',
    );
    expect(problems({ BACKEND_AUTH: 'basic', BACKEND_USERNAME: 'u', BACKEND_PASSWORD: 'short' })).toContain(
      'BACKEND_PASSWORD must be at least 8 characters',
    );
    expect(problems({ BACKEND_AUTH: 'kerberos' })).toContain('BACKEND_AUTH must be one of');
  });
});
