import type { OnApplicationShutdown } from '@nestjs/common';
import { type Problem, ProblemError, problem } from '@stockbridge/app-platform';
import { Pool } from 'undici';
import type { StorefrontConfig } from '../storefront.config';

/** Seconds a storefront client is told to wait when the process API is down and did not say how long. */
export const DEFAULT_RETRY_AFTER_SECONDS = 1;

/** A retryable 503: the storefront answers it with `Retry-After` (RetryAfterInterceptor sets the header). */
export class UpstreamUnavailableError extends ProblemError {
  constructor(
    detail: string,
    readonly retryAfterSeconds: number = DEFAULT_RETRY_AFTER_SECONDS,
  ) {
    super(problem(503, 'upstream-unavailable', detail));
  }
}

/** A `Retry-After` header in seconds (the HTTP-date form counts from now), or the default. */
function retryAfterSeconds(header: string | string[] | undefined): number {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined) return DEFAULT_RETRY_AFTER_SECONDS;
  if (/^\d{1,6}$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? DEFAULT_RETRY_AFTER_SECONDS : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

export interface ProcessResponse<T> {
  status: number;
  body: T;
  replayed: boolean;
}

/** What the storefront client is told when the process API cannot answer (each names the service). */
export interface UpstreamMessages {
  timeout: string;
  unavailable: string;
  failed: string;
}

/**
 * HTTP client of one process API (keep-alive pool, service token, correlation id). 4xx answers come back
 * as values for the caller to translate; an unreachable or failing process API becomes a 502/503/504
 * problem, never a hang.
 */
export abstract class ProcessApiClient implements OnApplicationShutdown {
  private readonly pool: Pool;

  protected constructor(
    private readonly config: StorefrontConfig,
    baseUrl: string,
    private readonly messages: UpstreamMessages,
  ) {
    this.pool = new Pool(baseUrl, {
      connections: config.PROCESS_CONNECTIONS,
      keepAliveTimeout: 30_000,
      pipelining: 1,
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.close();
  }

  async call<T>(
    method: 'GET' | 'POST' | 'PUT',
    path: string,
    options: { body?: unknown; headers?: Record<string, string>; correlationId: string },
  ): Promise<ProcessResponse<T>> {
    let res;
    try {
      res = await this.pool.request({
        method,
        path,
        headers: {
          authorization: `Bearer ${this.config.SERVICE_TOKEN}`,
          'x-correlation-id': options.correlationId,
          ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...options.headers,
        },
        body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
        headersTimeout: this.config.PROCESS_TIMEOUT_MS,
        bodyTimeout: this.config.PROCESS_TIMEOUT_MS,
      });
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
        throw ProblemError.of(504, 'upstream-timeout', this.messages.timeout);
      }
      throw new UpstreamUnavailableError(this.messages.unavailable);
    }
    const text = await res.body.text();
    let body: unknown;
    try {
      body = text.length > 0 ? JSON.parse(text) : null;
    } catch {
      body = null;
    }
    // The process API's own retryable refusal (e.g. its database is failing over): nothing was done, so the
    // storefront client is told to retry, not that the platform broke.
    if (res.statusCode === 503) {
      throw new UpstreamUnavailableError(
        this.messages.unavailable,
        retryAfterSeconds(res.headers['retry-after']),
      );
    }
    if (res.statusCode >= 500 || body === null) {
      throw new ProblemError(problem(502, 'upstream-error', this.messages.failed));
    }
    return {
      status: res.statusCode,
      body: body as T,
      replayed: res.headers['idempotent-replayed'] === 'true',
    };
  }
}

/** Passes a process-API problem on to the storefront client, keeping its type, detail and extensions. */
export function relay(p: Problem): never {
  const { instance: _ignored, ...rest } = p;
  throw new ProblemError(rest as Problem);
}
