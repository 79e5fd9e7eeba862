import { Pool } from 'undici';
import type { MarketplaceAuth } from './marketplace-auth';
import {
  MarketplaceCallError,
  type ListingPage,
  MarketplacePort,
  type QuantityOutcome,
  type QuantityUpdate,
} from './marketplace.port';

/** eBay's bulkUpdatePriceQuantity takes 1 to 25 inventory items per call. */
export const EBAY_BULK_MAX = 25;
/** getInventoryItems answers up to 200 items a page. */
export const EBAY_PAGE_MAX = 200;

const INVENTORY = '/sell/inventory/v1';

/** eBay's Error (ErrorDetailV3), the fields we read. */
interface EbayError {
  errorId?: number;
  domain?: string;
  category?: string;
  message?: string;
  longMessage?: string;
}

interface BulkResponse {
  responses?: { statusCode?: number; sku?: string; errors?: EbayError[] }[];
}

interface InventoryItems {
  next?: string;
  inventoryItems?: {
    sku?: string;
    availability?: { shipToLocationAvailability?: { quantity?: number } };
  }[];
}

/** Retry-After in seconds or as an HTTP date, in milliseconds (null when absent or unreadable). */
export function retryAfterMs(value: string | string[] | undefined, now = Date.now()): number | null {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return null;
  const seconds = Number(v);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** The first error of an eBay error body, described. */
function firstError(body: unknown): EbayError | undefined {
  return (body as { errors?: EbayError[] } | null)?.errors?.[0];
}

/** A body as JSON, or its first 200 characters when it is not JSON. */
function parseBody(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text.slice(0, 200);
  }
}

const describe = (e: EbayError | undefined) =>
  e ? `${e.errorId ?? '?'} ${e.message ?? ''}`.trim() : 'no error body';

/**
 * The marketplace as eBay's Sell Inventory API (developer.ebay.com/api-docs/sell/inventory): quantities go out
 * with `POST /sell/inventory/v1/bulk_update_price_quantity` (25 items a call; 200, or 207 with one response per
 * item), and are read back with `GET /sell/inventory/v1/inventory_item` (pages of up to 200, `offset` counting
 * pages). The seller-defined SKU of an inventory item is the platform's SKU. The sandbox's marketplace speaks the
 * same API (docs/channels/marketplace.md).
 */
export class EbayMarketplaceAdapter extends MarketplacePort {
  readonly name = 'ebay';
  readonly maxBatch = EBAY_BULK_MAX;
  private readonly pool: Pool;

  constructor(
    baseUrl: string,
    private readonly auth: MarketplaceAuth,
    private readonly timeoutMs: number,
  ) {
    super();
    // One call at a time is the pusher's pace; a second connection serves a resync's reads.
    this.pool = new Pool(baseUrl, { connections: 2, keepAliveTimeout: 10_000 });
  }

  async pushQuantities(batch: QuantityUpdate[], signal?: AbortSignal): Promise<QuantityOutcome[]> {
    if (batch.length === 0) return [];
    if (batch.length > EBAY_BULK_MAX) throw new RangeError(`at most ${EBAY_BULK_MAX} updates per call`);
    const body = {
      requests: batch.map((u) => ({ sku: u.sku, shipToLocationAvailability: { quantity: u.quantity } })),
    };
    const res = await this.call<BulkResponse>(
      'POST',
      `${INVENTORY}/bulk_update_price_quantity`,
      body,
      signal,
    );
    const bySku = new Map((res.responses ?? []).map((r) => [r.sku, r]));
    return batch.map((u): QuantityOutcome => {
      const r = bySku.get(u.sku);
      if (r?.statusCode === 200) return { sku: u.sku, applied: true };
      // No response for the SKU: eBay did not say it applied it, so it counts as refused, with that reason.
      const error = r?.errors?.[0];
      return {
        sku: u.sku,
        applied: false,
        code: String(error?.errorId ?? r?.statusCode ?? 'no-response'),
        reason:
          error?.message ?? `the marketplace answered status ${r?.statusCode ?? 'nothing'} for this SKU`,
        details: { statusCode: r?.statusCode ?? null, errors: r?.errors ?? [] },
        unlisted: r?.statusCode === 404,
      };
    });
  }

  async listQuantities(page: string | null, signal?: AbortSignal): Promise<ListingPage> {
    const offset = page === null ? 0 : Number(page);
    const res = await this.call<InventoryItems>(
      'GET',
      `${INVENTORY}/inventory_item?limit=${EBAY_PAGE_MAX}&offset=${offset}`,
      undefined,
      signal,
    );
    const items = (res.inventoryItems ?? []).flatMap((i) => {
      const quantity = i.availability?.shipToLocationAvailability?.quantity;
      return i.sku && typeof quantity === 'number' ? [{ sku: i.sku, quantity }] : [];
    });
    return { items, next: res.next && items.length > 0 ? String(offset + 1) : null };
  }

  async close(): Promise<void> {
    await this.pool.close();
  }

  private async call<T>(
    method: 'GET' | 'POST',
    path: string,
    body: unknown,
    signal?: AbortSignal,
  ): Promise<T> {
    const send = async () => {
      const res = await this.pool.request({
        method,
        path,
        headers: {
          accept: 'application/json',
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(await this.auth.headers()),
        },
        body: body !== undefined ? JSON.stringify(body) : undefined,
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
        signal: signal
          ? AbortSignal.any([signal, AbortSignal.timeout(this.timeoutMs)])
          : AbortSignal.timeout(this.timeoutMs),
      });
      const text = await res.body.text();
      return { status: res.statusCode, headers: res.headers, body: parseBody(text) };
    };
    let res: Awaited<ReturnType<typeof send>>;
    try {
      res = await send();
      if (res.status === 401 && this.auth.kind === 'oauth2') {
        // A token revoked or expired early: one more try with a fresh one (nothing was applied).
        this.auth.refused();
        res = await send();
      }
    } catch (err) {
      if (err instanceof MarketplaceCallError) throw err;
      throw new MarketplaceCallError('unavailable', `${method} ${path}: ${(err as Error).message}`);
    }
    const { status } = res;
    if (status >= 200 && status < 300) return res.body as T;
    const error = firstError(res.body);
    const message = `${method} ${path.split('?')[0]} answered ${status} (${describe(error)})`;
    if (status === 429)
      throw new MarketplaceCallError(
        'rate-limited',
        message,
        status,
        retryAfterMs(res.headers['retry-after']),
      );
    if (status === 401 || status === 403) throw new MarketplaceCallError('unauthorized', message, status);
    if (status >= 500 || status === 408 || status < 200)
      throw new MarketplaceCallError(
        'unavailable',
        message,
        status,
        retryAfterMs(res.headers['retry-after']),
      );
    throw new MarketplaceCallError('refused', message, status, null, {
      statusCode: status,
      errors: (res.body as { errors?: unknown } | null)?.errors ?? res.body,
    });
  }
}
