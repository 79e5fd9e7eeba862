import { randomUUID } from 'node:crypto';
import { Pool } from 'undici';

export interface HttpResult<T = unknown> {
  status: number;
  contentType: string;
  text: string;
  body: T;
  headers: Record<string, string | string[] | undefined>;
}

/**
 * A keep-alive client for firing many requests in parallel at one app (supertest opens a connection per
 * request, which measures the kernel more than the app under hundreds of concurrent calls).
 */
export class HttpClient {
  private readonly pool: Pool;

  constructor(
    readonly baseUrl: string,
    private readonly defaults: Record<string, string> = {},
    connections = 100,
  ) {
    this.pool = new Pool(baseUrl, { connections, pipelining: 1 });
  }

  async request<T = unknown>(
    method: string,
    path: string,
    options: { body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
  ): Promise<HttpResult<T>> {
    const headers: Record<string, string> = { ...this.defaults, ...options.headers };
    let body: string | undefined = options.rawBody;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await this.pool.request({ method: method as 'GET', path, headers, body });
    const text = await res.body.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return {
      status: res.statusCode,
      contentType: String(res.headers['content-type'] ?? ''),
      text,
      body: parsed as T,
      headers: res.headers as Record<string, string | string[] | undefined>,
    };
  }

  reserve(
    lines: { sku: string; quantity: number; location?: string }[],
    options: { key?: string; ttlSeconds?: number; headers?: Record<string, string> } = {},
  ) {
    return this.request<Record<string, unknown>>('POST', '/v1/reservations', {
      body: { lines, ...(options.ttlSeconds ? { ttlSeconds: options.ttlSeconds } : {}) },
      headers: { 'idempotency-key': options.key ?? randomUUID(), ...options.headers },
    });
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}

export function countBy<T>(items: T[], key: (item: T) => string | number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) out[String(key(item))] = (out[String(key(item))] ?? 0) + 1;
  return out;
}

export async function eventually<T>(
  fn: () => Promise<T>,
  accept: (value: T) => boolean,
  timeoutMs = 5000,
  stepMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (accept(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, stepMs));
  }
}
