import { CORRELATION_HEADER, currentCorrelationId } from '@stockbridge/messaging';
import { Pool } from 'undici';
import { type BackendAuth, NoAuth } from './backend-auth';

/** A backend answered with an error status. */
export class BackendHttpError extends Error {
  constructor(
    readonly backend: string,
    readonly status: number,
    readonly body: unknown,
    /** From `Retry-After`, when the backend sent one. */
    readonly retryAfterMs: number | null,
  ) {
    super(`${backend} answered ${status}${describe(body)}`);
    this.name = 'BackendHttpError';
  }
}

function describe(body: unknown): string {
  if (body && typeof body === 'object') {
    const b = body as Record<string, unknown>;
    const text = [b.error, b.message].filter((v) => typeof v === 'string').join(': ');
    return text ? ` (${text})` : '';
  }
  return typeof body === 'string' && body ? ` (${body.slice(0, 200)})` : '';
}

export function retryAfterMs(value: string | string[] | undefined): number | null {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return null;
  const seconds = Number(v);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}

export interface BackendResponse<T> {
  status: number;
  body: T;
}

/**
 * JSON over HTTP to one backend, with keep-alive connections, the backend's credentials (`BackendAuth`) and
 * the correlation id of the job or request in scope on every call. A 401 is retried once when the credential
 * may have changed (an OAuth2 token dropped and fetched again). Timeouts and retries belong to the
 * BackendGuard around it.
 */
export class BackendHttp {
  private readonly pool: Pool;

  constructor(
    readonly backend: string,
    baseUrl: string,
    connections = 16,
    readonly auth: BackendAuth = new NoAuth(),
  ) {
    this.pool = new Pool(baseUrl, { connections, keepAliveTimeout: 10_000 });
  }

  async request<T>(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    options: { body?: unknown; headers?: Record<string, string>; signal?: AbortSignal } = {},
  ): Promise<BackendResponse<T>> {
    const credentials = await this.auth.headers(options.signal);
    try {
      return await this.send<T>(method, path, options, credentials);
    } catch (err) {
      // The credential was refused: one more try if a fresh one may help (nothing was processed).
      if (err instanceof BackendHttpError && err.status === 401 && this.auth.rejected(credentials)) {
        return this.send<T>(method, path, options, await this.auth.headers(options.signal));
      }
      throw err;
    }
  }

  private async send<T>(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    options: { body?: unknown; headers?: Record<string, string>; signal?: AbortSignal },
    credentials: Record<string, string>,
  ): Promise<BackendResponse<T>> {
    const correlationId = currentCorrelationId();
    const res = await this.pool.request({
      method,
      path,
      headers: {
        accept: 'application/json',
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(correlationId ? { [CORRELATION_HEADER]: correlationId } : {}),
        ...options.headers,
        ...credentials,
      },
      body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
      signal: options.signal,
    });
    const text = await res.body.text();
    let body: unknown = text;
    if (text && /json/i.test(String(res.headers['content-type'] ?? ''))) {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }
    if (res.statusCode >= 400)
      throw new BackendHttpError(
        this.backend,
        res.statusCode,
        body,
        retryAfterMs(res.headers['retry-after']),
      );
    return { status: res.statusCode, body: body as T };
  }

  async close(): Promise<void> {
    await this.pool.close();
    await this.auth.close?.();
  }
}
