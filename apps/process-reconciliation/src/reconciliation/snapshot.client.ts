import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { BackendHttp } from '@stockbridge/integration';
import { ProcessReconciliationConfig } from '../process-reconciliation.config';

/** An on-hand snapshot as the system APIs serve it: canonical codes, eaches. */
export interface Snapshot {
  takenAt: string;
  rows: { sku: string; location: string; onHand: number }[];
  unmapped: { item: string; site: string; onHand: number }[];
}

/** Queries the system APIs over HTTP (docs/architecture.md#who-calls-whom: process → system, queries over HTTP). */
@Injectable()
export class SnapshotClient implements OnApplicationShutdown {
  private readonly erp: BackendHttp;
  private readonly wms: BackendHttp;

  constructor(private readonly config: ProcessReconciliationConfig) {
    this.erp = new BackendHttp('system-erp', config.SYSTEM_ERP_URL, 2);
    this.wms = new BackendHttp('system-wms', config.SYSTEM_WMS_URL, 2);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.erp.close(), this.wms.close()]);
  }

  snapshot(side: 'erp' | 'wms'): Promise<Snapshot> {
    const http = side === 'erp' ? this.erp : this.wms;
    return http
      .request<Snapshot>('GET', '/v1/on-hand', {
        headers: { authorization: `Bearer ${this.config.SERVICE_TOKEN}` },
        signal: AbortSignal.timeout(this.config.SNAPSHOT_TIMEOUT_MS),
      })
      .then((r) => r.body);
  }
}
