import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { BackendGuard, BackendHttp, backendAuth, guardOptions } from '@stockbridge/integration';
import { type OmsOrder, OmsPort, type OmsStatusChange } from '../oms.port';
import { SystemOmsConfig } from '../system-oms.config';

interface NativeOrder {
  orderId: string;
  orderRef: string;
  status: string;
  createdAt: string;
  updatedAt: string;
}

interface NativeOrderPage {
  items: NativeOrder[];
}

/** Orders per page of `GET /oms/api/orders?updatedSince=` (the sandbox allows up to 500). */
export const STATUS_PAGE_SIZE = 200;

/** The sandbox OMS's native API (its own order ids and statuses; it keys orders by our reference). */
@Injectable()
export class SandboxOmsAdapter extends OmsPort implements OnApplicationShutdown {
  private readonly http: BackendHttp;
  private readonly guard: BackendGuard;

  constructor(config: SystemOmsConfig) {
    super();
    this.http = new BackendHttp(
      'oms',
      config.BACKEND_URL,
      config.BACKEND_CONNECTIONS,
      backendAuth('oms', config),
    );
    this.guard = new BackendGuard('oms', guardOptions(config));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.http.close();
  }

  circuit(): string {
    return this.guard.state;
  }

  async createOrder(order: OmsOrder): Promise<{ omsOrderId: string; duplicate: boolean }> {
    // The OMS holds the commerce catalogue, so it speaks our SKUs; its ids and statuses are its own.
    const res = await this.guard.call((signal) =>
      this.http.request<NativeOrder>('POST', '/oms/api/orders', {
        body: {
          orderRef: order.reference,
          channel: order.channel,
          lines: order.lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
          // Its ship-to speaks `lat`/`lng`.
          ...(order.shipTo ? { shipTo: { lat: order.shipTo.latitude, lng: order.shipTo.longitude } } : {}),
        },
        signal,
      }),
    );
    return { omsOrderId: res.body.orderId, duplicate: res.status === 200 };
  }

  async statusChanges(since: string, max = 1_000): Promise<OmsStatusChange[]> {
    return collectStatusChanges(since, max, STATUS_PAGE_SIZE, async (from, page) => {
      const query = new URLSearchParams({
        updatedSince: from,
        page: String(page),
        pageSize: String(STATUS_PAGE_SIZE),
      });
      const res = await this.guard.call((signal) =>
        this.http.request<NativeOrderPage>('GET', `/oms/api/orders?${query.toString()}`, { signal }),
      );
      return res.body.items ?? [];
    });
  }
}

/**
 * Pages by keyset: each page starts at the last `updatedAt` of the one before (the OMS filters at or after it
 * and sorts by change time then orderRef), so an order that changes while we page moves behind us instead of
 * shifting the pages; the orders of that instant seen already are skipped. Only when a whole page shares one
 * instant does it take the next page of that instant.
 */
export async function collectStatusChanges(
  since: string,
  max: number,
  pageSize: number,
  fetchPage: (
    from: string,
    page: number,
  ) => Promise<Pick<NativeOrder, 'orderRef' | 'status' | 'updatedAt'>[]>,
): Promise<OmsStatusChange[]> {
  const out: OmsStatusChange[] = [];
  const seen = new Set<string>();
  let from = since;
  let page = 1;
  while (out.length < max) {
    const items = await fetchPage(from, page);
    for (const o of items) {
      const key = `${o.orderRef}\n${o.status}\n${o.updatedAt}`;
      if (seen.has(key)) continue;
      seen.add(key);
      // The OMS creates every order NEW, and no status leads back to NEW.
      out.push({
        orderRef: o.orderRef,
        status: o.status,
        changedAt: o.updatedAt,
        initial: o.status === 'NEW',
      });
    }
    if (items.length < pageSize) break;
    const last = items[items.length - 1].updatedAt;
    if (last === from) page += 1;
    else {
      from = last;
      page = 1;
    }
  }
  return out;
}
