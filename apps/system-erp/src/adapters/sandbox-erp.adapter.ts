import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { PostingKind, PostingRequestedPayload } from '@stockbridge/canonical';
import {
  BackendGuard,
  BackendHttp,
  backendAuth,
  guardOptions,
  type OnHandSnapshot,
} from '@stockbridge/integration';
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

interface NativeJournalEntry {
  entryId: string;
  postingKey: string;
}

/** The ERP's journal entry types; a new posting kind does not compile until it has one. */
const ENTRY_TYPES: Record<PostingKind, 'REVENUE' | 'COGS' | 'REFUND' | 'INV_ADJ'> = {
  revenue: 'REVENUE',
  'cost-of-goods': 'COGS',
  refund: 'REFUND',
  'inventory-adjustment': 'INV_ADJ',
};

/** Cents as the ERP's amount: a decimal string of currency units with two decimals (1999 → "19.99"). */
export function erpAmount(cents: number): string {
  const abs = Math.abs(cents);
  return `${cents < 0 ? '-' : ''}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
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
    this.http = new BackendHttp(
      'erp',
      config.BACKEND_URL,
      config.BACKEND_CONNECTIONS,
      backendAuth('erp', config),
    );
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

  async post(p: PostingRequestedPayload): Promise<{ erpReference: string; duplicate: boolean }> {
    const lines = await Promise.all(
      p.lines.map(async (l) => ({
        itemNo: await this.translate(() => this.mappings.externalSku(ERP_SYSTEM, l.sku)),
        ...(l.location !== null
          ? { siteCode: await this.translate(() => this.mappings.externalLocation(ERP_SYSTEM, l.location!)) }
          : {}),
        qty: l.quantity,
        amount: erpAmount(l.amountCents),
      })),
    );
    const res = await this.guard.call((signal) =>
      this.http.request<NativeJournalEntry>('POST', '/erp/api/v2/journal-entries', {
        body: {
          postingKey: p.postingKey,
          type: ENTRY_TYPES[p.kind],
          amount: erpAmount(p.amountCents),
          currency: p.currency,
          reference: p.reference,
          ...(p.reasonCode !== null ? { reasonCode: p.reasonCode } : {}),
          businessDate: p.businessDate,
          lines,
        },
        headers: { 'idempotency-key': p.postingKey },
        signal,
      }),
    );
    return { erpReference: res.body.entryId, duplicate: res.status === 200 };
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
