import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ProblemError } from '@stockbridge/app-platform';
import { ProcessApiClient, type ProcessClientSettings } from './process-api.client';

class TestClient extends ProcessApiClient {
  constructor(settings: ProcessClientSettings, url: string) {
    super(settings, url, { timeout: 'late', unavailable: 'down', failed: 'broken' });
  }
}

/** A real HTTP server answering each request with the next scripted handler; it counts the requests. */
async function serve(
  ...script: ((req: IncomingMessage, res: ServerResponse) => void)[]
): Promise<{ url: string; server: Server; requests: () => number }> {
  let n = 0;
  const server = createServer((req, res) => {
    const handler = script[Math.min(n, script.length - 1)];
    n++;
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, requests: () => n };
}

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}) =>
  (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };

const settings = (retries: number, timeoutMs = 2_000): ProcessClientSettings => ({
  SERVICE_TOKEN: 'service-token-0123456789',
  PROCESS_TIMEOUT_MS: timeoutMs,
  PROCESS_CONNECTIONS: 4,
  PROCESS_RETRIES: retries,
});

async function problemOf(promise: Promise<unknown>): Promise<{ status: number; type: string }> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof ProblemError)
      return { status: err.problem.status, type: err.problem.type.split('/').pop()! };
    throw err;
  }
  throw new Error('no problem raised');
}

describe('ProcessApiClient', () => {
  const servers: Server[] = [];
  const clients: ProcessApiClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) await c.onApplicationShutdown();
    for (const s of servers.splice(0)) {
      s.closeAllConnections();
      await new Promise((resolve) => s.close(resolve));
    }
  });

  async function clientOf(retries: number, ...script: Parameters<typeof serve>) {
    const s = await serve(...script);
    servers.push(s.server);
    const client = new TestClient(settings(retries), s.url);
    clients.push(client);
    return { client, requests: s.requests };
  }

  it('presents the service token and correlation id, and returns 4xx answers as values', async () => {
    let seen: IncomingMessage | undefined;
    const { client } = await clientOf(0, (req, res) => {
      seen = req;
      json(404, { type: 'https://stockbridge.dev/problems/unknown-location' })(req, res);
    });
    const res = await client.call('GET', '/v1/x', { correlationId: 'corr-1' });
    expect(res).toEqual({
      status: 404,
      body: { type: 'https://stockbridge.dev/problems/unknown-location' },
      replayed: false,
    });
    expect(seen?.headers.authorization).toBe('Bearer service-token-0123456789');
    expect(seen?.headers['x-correlation-id']).toBe('corr-1');
  });

  it("tries a call again after the process API's 503, and answers once it succeeds", async () => {
    const { client, requests } = await clientOf(
      2,
      json(503, { type: 'x' }, { 'retry-after': '0' }),
      json(503, { type: 'x' }),
      json(200, { ok: true }),
    );
    const res = await client.call('POST', '/v1/x', { correlationId: 'c', body: { a: 1 } });
    expect(res.body).toEqual({ ok: true });
    expect(requests()).toBe(3);
  });

  it('gives up with 503 after its retries, and never retries without PROCESS_RETRIES', async () => {
    const twice = await clientOf(1, json(503, { type: 'x' }));
    expect(await problemOf(twice.client.call('GET', '/v1/x', { correlationId: 'c' }))).toEqual({
      status: 503,
      type: 'upstream-unavailable',
    });
    expect(twice.requests()).toBe(2);
    const once = await clientOf(0, json(503, { type: 'x' }));
    await problemOf(once.client.call('GET', '/v1/x', { correlationId: 'c' }));
    expect(once.requests()).toBe(1);
  });

  it('answers 504 after the budget without trying again, and 502 for a 500 or a body that is not JSON', async () => {
    const slow = await serve((req, res) => {
      const late = setTimeout(() => json(200, {})(req, res), 1_500);
      res.on('close', () => clearTimeout(late));
    });
    servers.push(slow.server);
    const client = new TestClient(settings(2, 200), slow.url);
    clients.push(client);
    expect(await problemOf(client.call('POST', '/v1/x', { correlationId: 'c', body: {} }))).toEqual({
      status: 504,
      type: 'upstream-timeout',
    });
    expect(slow.requests()).toBe(1);

    const broken = await clientOf(2, json(500, { type: 'x' }), (_req, res) => res.end('<html>'));
    expect((await problemOf(broken.client.call('GET', '/', { correlationId: 'c' }))).status).toBe(502);
    expect((await problemOf(broken.client.call('GET', '/', { correlationId: 'c' }))).status).toBe(502);
    expect(broken.requests()).toBe(2);
  });

  it('answers 503 when nothing listens, after trying again', async () => {
    const client = new TestClient(settings(1), 'http://127.0.0.1:1');
    clients.push(client);
    const started = Date.now();
    expect(await problemOf(client.call('GET', '/', { correlationId: 'c' }))).toEqual({
      status: 503,
      type: 'upstream-unavailable',
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
  });
});
