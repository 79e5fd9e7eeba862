import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { BackendGuard, BackendHttp, guardOptions, type OnHandSnapshot } from '@stockbridge/integration';
import { Mappings, UnmappedError } from '@stockbridge/mapping';
import { PermanentError } from '@stockbridge/messaging';
import { type ErpCommitment, ErpPort } from '../erp.port';
import { SystemErpConfig } from '../system-erp.config';

/** Our system name in the cross-reference tables. */
export const ERP_SYSTEM = 'erp';

interface NativeCommitment {
  commitmentId: number | string;
  externalRef: string;
}

interface NativePage<T> {
  page: number;
  totalPages: number;
  items: T[];
}

interface NativeOnHand {
  itemNo: string;
  siteCode: string;
  qtyEach: number;
}

/**
 * The sandbox ERP's native API (item numbers, site codes, cases, paged lists, 429 past its rate limit).
 * ERP field names stay in this file.
 */
@Injectable()
export class SandboxErpAdapter extends ErpPort implements OnApplicationShutdown {
  private readonly http: BackendHttp;
  private readonly guard: BackendGuard;

  constructor(
    config: SystemErpConfig,
    private readonly mappings: Mappings,
  ) {
    super();
    this.http = new BackendHttp('erp', config.BACKEND_URL, config.BACKEND_CONNECTIONS);
    this.guard = new BackendGuard('erp', guardOptions(config));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.http.close();
  }

  circuit(): string {
    return this.guard.state;
  }

  async commit(c: ErpCommitment): Promise<{ erpReference: string; duplicate: boolean }> {
    const lines = await Promise.all(
      c.lines.map(async (l) => ({
        itemNo: await this.translate(() => this.mappings.externalSku(ERP_SYSTEM, l.sku)),
        siteCode: await this.translate(() => this.mappings.externalLocation(ERP_SYSTEM, l.location)),
        qty: l.quantity,
        uom: 'EA',
      })),
    );
    const res = await this.guard.call((signal) =>
      this.http.request<NativeCommitment>('POST', '/erp/api/v2/commitments', {
        body: { externalRef: c.reference, lines },
        headers: { 'idempotency-key': c.reference },
        signal,
      }),
    );
    return { erpReference: String(res.body.commitmentId), duplicate: res.status === 200 };
  }

  async onHandSnapshot(location?: string): Promise<OnHandSnapshot> {
    const site = location
      ? await this.translate(() => this.mappings.externalLocation(ERP_SYSTEM, location))
      : undefined;
    const takenAt = new Date().toISOString();
    const snapshot: OnHandSnapshot = { takenAt, rows: [], unmapped: [] };
    for (let page = 1; ; page++) {
      const query = new URLSearchParams({
        page: String(page),
        pageSize: '500',
        ...(site ? { siteCode: site } : {}),
      });
      const res = await this.guard.call((signal) =>
        this.http.request<NativePage<NativeOnHand>>('GET', `/erp/api/v2/on-hand?${query}`, { signal }),
      );
      for (const r of res.body.items) {
        try {
          snapshot.rows.push({
            sku: await this.mappings.sku(ERP_SYSTEM, r.itemNo),
            location: await this.mappings.location(ERP_SYSTEM, r.siteCode),
            onHand: r.qtyEach,
          });
        } catch (err) {
          if (!(err instanceof UnmappedError)) throw err;
          snapshot.unmapped.push({ item: r.itemNo, site: r.siteCode, onHand: r.qtyEach });
        }
      }
      if (page >= res.body.totalPages) break;
    }
    return snapshot;
  }

  private async translate(fn: () => Promise<string>): Promise<string> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof UnmappedError)
        throw new PermanentError('unmapped', err.message, {
          system: err.system,
          what: err.what,
          code: err.code,
        });
      throw err;
    }
  }
}
