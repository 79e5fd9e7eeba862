import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { ProblemError } from '@stockbridge/app-platform';
import { BackendHttp, BackendHttpError } from '@stockbridge/integration';
import { errorMessage } from '@stockbridge/messaging';
import { OpsConfig } from '../ops.config';

/** process-reconciliation's API, called with the service token on an operator's behalf. */
@Injectable()
export class ReconciliationGateway implements OnApplicationShutdown {
  private readonly http: BackendHttp | null;

  constructor(private readonly config: OpsConfig) {
    this.http =
      config.PROCESS_RECONCILIATION_URL && config.SERVICE_TOKEN
        ? new BackendHttp('process-reconciliation', config.PROCESS_RECONCILIATION_URL, 4)
        : null;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.http?.close();
  }

  /** Its answer as is; its problems (4xx) passed on with their status and detail; unreachable → 503. */
  async call<T>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<T> {
    if (!this.http) {
      throw ProblemError.of(
        503,
        'not-configured',
        'Reconciliation is not connected to ops (set PROCESS_RECONCILIATION_URL and SERVICE_TOKEN).',
      );
    }
    try {
      const res = await this.http.request<T>(method, path, {
        body,
        headers: { authorization: `Bearer ${this.config.SERVICE_TOKEN}` },
        signal: AbortSignal.timeout(10_000),
      });
      return res.body;
    } catch (err) {
      if (err instanceof BackendHttpError && err.status < 500) {
        const detail = (err.body as { detail?: unknown } | null)?.detail;
        throw ProblemError.of(
          err.status,
          'reconciliation-refused',
          typeof detail === 'string' ? detail : err.message,
        );
      }
      throw ProblemError.of(
        503,
        'reconciliation-unavailable',
        `process-reconciliation did not answer: ${errorMessage(err)}`,
      );
    }
  }
}
