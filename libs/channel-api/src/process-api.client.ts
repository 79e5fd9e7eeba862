import type { OnApplicationShutdown } from '@nestjs/common';
import { type Problem, ProblemError, problem } from '@stockbridge/app-platform';
import { Pool } from 'undici';

/** Seconds a channel's client is told to wait when the process API is down and did not say how long. */
export const DEFAULT_RETRY_AFTER_SECONDS = 1;

/** A retryable 503: the channel API answers it with `Retry-After` (RetryAfterInterceptor sets the header). */
export class UpstreamUnavailableError extends ProblemError {
  constructor(
    detail: string,
    readonly retryAfterSeconds: number = DEFAULT_RETRY_AFTER_SECONDS,
  ) {
    super(problem(503, 'upstream-unavailable', detail));
  }
}

/** A `Retry-After` header in seconds (the HTTP-date form counts from now), or the default. */
export function retryAfterSeconds(header: string | string[] | undefined): number {
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

/** What the channel's client is told when the process API cannot answer (each names the service). */
export interface UpstreamMessages {
  timeout: string;
  unavailable: string;
  failed: string;
}

/** How a ProcessApiClient reaches its process API (ChannelApiConfig holds each). */
export interface ProcessClientSettings {
  SERVICE_TOKEN: string;
  PROCESS_TIMEOUT_MS: number;
  PROCESS_CONNECTIONS: number;
  PROCESS_RETRIES: number;
}

/** The longest pause between two tries, whatever the process API's Retry-After says. */
const MAX_RETRY_PAUSE_MS = 1_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * HTTP client of one process API (keep-alive pool, service token, correlation id). 4xx answers come back
 * as values for the caller to translate; an unreachable or failing process API becomes a 502/503/504
 * problem, never a hang. With PROCESS_RETRIES, a call the process API did not take (connection refused or
 * reset, or its 503) is tried again after a short pause: every call of a channel API is safe to repeat
 * (idempotent by its key or by its nature). A timeout is not retried here: the work may be under way, and the
 * channel's client retries with the same key.
 */
export abstract class ProcessApiClient implements OnApplicationShutdown {
  private readonly pool: Pool;

  protected constructor(
    private readonly settings: ProcessClientSettings,
    baseUrl: string,
    private readonly messages: UpstreamMessages,
  ) {
    this.pool = new Pool(baseUrl, {
      connections: settings.PROCESS_CONNECTIONS,
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
    options: {
      body?: unknown;
      headers?: Record<string, string>;
      correlationId: string;
      /** This call's budget instead of PROCESS_TIMEOUT_MS (e.g. a large batch). */
      timeoutMs?: number;
    },
  ): Promise<ProcessResponse<T>> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.once<T>(method, path, options);
      } catch (err) {
        if (!(err instanceof UpstreamUnavailableError) || attempt >= this.settings.PROCESS_RETRIES) throw err;
        await sleep(Math.min(MAX_RETRY_PAUSE_MS, 100 * 2 ** attempt, err.retryAfterSeconds * 1000));
      }
    }
  }

  private async once<T>(
    method: 'GET' | 'POST' | 'PUT',
    path: string,
    options: { body?: unknown; headers?: Record<string, string>; correlationId: string; timeoutMs?: number },
  ): Promise<ProcessResponse<T>> {
    const timeout = options.timeoutMs ?? this.settings.PROCESS_TIMEOUT_MS;
    let res;
    try {
      res = await this.pool.request({
        method,
        path,
        headers: {
          authorization: `Bearer ${this.settings.SERVICE_TOKEN}`,
          'x-correlation-id': options.correlationId,
          ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...options.headers,
        },
        body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
        headersTimeout: timeout,
        bodyTimeout: timeout,
      });
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
        throw ProblemError.of(504, 'upstream-timeout', this.messages.timeout);
      }
      throw new UpstreamUnavailableError(this.messages.unavailable);
    }
    let text: string;
    try {
      text = await res.body.text();
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === 'UND_ERR_BODY_TIMEOUT')
        throw ProblemError.of(504, 'upstream-timeout', this.messages.timeout);
      // The answer was cut off: whatever the process API did, repeating the call is safe.
      throw new ProblemError(problem(502, 'upstream-error', this.messages.failed));
    }
    let body: unknown;
    try {
      body = text.length > 0 ? JSON.parse(text) : null;
    } catch {
      body = null;
    }
    // The process API's own retryable refusal (e.g. its database is failing over): nothing was done, so the
    // channel's client is told to retry, not that the platform broke.
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

/** Passes a process-API problem on to the channel's client, keeping its type, detail and extensions. */
export function relay(p: Problem): never {
  const { instance: _ignored, ...rest } = p;
  throw new ProblemError(rest as Problem);
}
