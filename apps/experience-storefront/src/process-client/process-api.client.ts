import type { OnApplicationShutdown } from '@nestjs/common';
import { type Problem, ProblemError, problem } from '@stockbridge/http';
import { Pool } from 'undici';
import type { StorefrontConfig } from '../storefront.config';

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
    method: 'GET' | 'POST',
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
      throw ProblemError.of(503, 'upstream-unavailable', this.messages.unavailable);
    }
    const text = await res.body.text();
    let body: unknown;
    try {
      body = text.length > 0 ? JSON.parse(text) : null;
    } catch {
      body = null;
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
