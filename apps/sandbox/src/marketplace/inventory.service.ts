import { Injectable } from '@nestjs/common';
import { type Page, pageOf, type Paging } from '../infra/paging';
import { SandboxDb } from '../infra/sandbox-db';
import type { BulkEntry } from './bulk-update';
import { ebayError } from './ebay-errors';
import type { InventoryItemView, PriceQuantityResponse } from './inventory.dto';
import type { MarketplaceItemInput, QuantityUpdateView } from './marketplace-admin.dto';

interface ItemRow {
  sku: string;
  title: string | null;
  quantity: number;
}

const toItem = (r: ItemRow): InventoryItemView => ({
  sku: r.sku,
  locale: 'en_US',
  condition: 'NEW',
  ...(r.title ? { product: { title: r.title } } : {}),
  availability: { shipToLocationAvailability: { quantity: r.quantity } },
});

export interface BulkUpdateOutcome {
  /** 200 when every request applied, else 207 (multi-status). */
  status: 200 | 207;
  responses: PriceQuantityResponse[];
}

export interface InventoryStats {
  inventoryItems: number;
  bulkUpdateCalls: number;
  skuUpdatesApplied: number;
  skuUpdatesRejected: number;
}

/** The marketplace's inventory items (eBay's Inventory API) and every quantity update applied to them. */
@Injectable()
export class InventoryService {
  constructor(private readonly db: SandboxDb) {}

  /**
   * Replaces the quantity of every known SKU of the call, in one transaction, and records the call and each
   * update applied (an update to the same figure too: eBay counts it as a revision). A SKU the marketplace
   * does not have is that request's 404 (eBay error 25702); the others still apply.
   */
  async bulkUpdate(entries: BulkEntry[]): Promise<BulkUpdateOutcome> {
    const valid = entries.filter((e): e is BulkEntry & { sku: string; quantity: number } => !e.errors);
    return this.db.tx(async (sql) => {
      const skus = valid.map((e) => e.sku);
      // Locked in SKU order, so that two calls over the same items never deadlock.
      const known = new Set(
        (
          await sql.query<{ sku: string }>(
            `SELECT sku FROM sandbox_marketplace.inventory_items WHERE sku = ANY($1::text[]) ORDER BY sku FOR UPDATE`,
            [skus],
          )
        ).rows.map((r) => r.sku),
      );
      const applied = valid.filter((e) => known.has(e.sku));
      const responses: PriceQuantityResponse[] = entries.map((e) => {
        if (e.errors)
          return { statusCode: 400, ...(e.sku !== undefined ? { sku: e.sku } : {}), errors: e.errors };
        if (!known.has(e.sku))
          return {
            statusCode: 404,
            sku: e.sku,
            errors: [
              ebayError('inventory', 25702, `SKU ${e.sku} is not available in the system`, {
                parameters: [{ name: 'sku', value: e.sku }],
              }),
            ],
          };
        return { statusCode: 200, sku: e.sku };
      });
      const status = responses.every((r) => r.statusCode === 200) ? 200 : 207;
      await sql.query(
        `WITH call AS (
           INSERT INTO sandbox_marketplace.bulk_calls (requested, applied, status) VALUES ($1, $2, $3) RETURNING id
         ), upd AS (
           UPDATE sandbox_marketplace.inventory_items i SET quantity = v.quantity, updated_at = now()
             FROM unnest($4::text[], $5::int[]) AS v(sku, quantity) WHERE i.sku = v.sku
         )
         INSERT INTO sandbox_marketplace.quantity_updates (call_id, sku, quantity)
         SELECT call.id, v.sku, v.quantity FROM call, unnest($4::text[], $5::int[]) WITH ORDINALITY AS v(sku, quantity, n)
          ORDER BY v.n`,
        [entries.length, applied.length, status, applied.map((e) => e.sku), applied.map((e) => e.quantity)],
      );
      return { status, responses };
    });
  }

  async get(sku: string): Promise<InventoryItemView | undefined> {
    const res = await this.db.query<ItemRow>(
      'SELECT sku, title, quantity FROM sandbox_marketplace.inventory_items WHERE sku = $1',
      [sku],
    );
    return res.rows[0] ? toItem(res.rows[0]) : undefined;
  }

  /** A page of inventory items by SKU: `page` is 0-based (eBay's `offset` of getInventoryItems). */
  async list(limit: number, page: number): Promise<{ total: number; items: InventoryItemView[] }> {
    const [count, rows] = await Promise.all([
      this.db.query<{ n: string }>('SELECT count(*) AS n FROM sandbox_marketplace.inventory_items'),
      this.db.query<ItemRow>(
        `SELECT sku, title, quantity FROM sandbox_marketplace.inventory_items ORDER BY sku LIMIT $1 OFFSET $2`,
        [limit, limit * page],
      ),
    ]);
    return { total: Number(count.rows[0].n), items: rows.rows.map(toItem) };
  }

  /**
   * Creates or replaces inventory items (seeding: not a call of the API, not recorded as an update). A SKU
   * given twice: the last entry wins. Answers the number of distinct SKUs.
   */
  async upsertItems(items: MarketplaceItemInput[]): Promise<number> {
    const last = new Map(items.map((i) => [i.sku, i]));
    const rows = [...last.values()];
    await this.db.query(
      `INSERT INTO sandbox_marketplace.inventory_items (sku, title, quantity, price, currency)
       SELECT sku, title, quantity, coalesce(price, 10), coalesce(currency, 'USD')
         FROM unnest($1::text[], $2::text[], $3::int[], $4::numeric[], $5::text[]) AS v(sku, title, quantity, price, currency)
       ON CONFLICT (sku) DO UPDATE SET title = coalesce(EXCLUDED.title, inventory_items.title),
         quantity = EXCLUDED.quantity, price = EXCLUDED.price, currency = EXCLUDED.currency, updated_at = now()`,
      [
        rows.map((r) => r.sku),
        rows.map((r) => r.title ?? null),
        rows.map((r) => r.quantity),
        rows.map((r) => r.price?.value ?? null),
        rows.map((r) => r.price?.currency ?? null),
      ],
    );
    return rows.length;
  }

  /** The updates applied by bulk calls, oldest first, optionally of one SKU. */
  async updates(sku: string | undefined, p: Paging): Promise<Page<QuantityUpdateView>> {
    const [count, rows] = await Promise.all([
      this.db.query<{ n: string }>(
        'SELECT count(*) AS n FROM sandbox_marketplace.quantity_updates WHERE $1::text IS NULL OR sku = $1',
        [sku ?? null],
      ),
      this.db.query<{ call_id: string; sku: string; quantity: number; at: Date }>(
        `SELECT call_id, sku, quantity, at FROM sandbox_marketplace.quantity_updates
          WHERE $1::text IS NULL OR sku = $1 ORDER BY id LIMIT $2 OFFSET $3`,
        [sku ?? null, p.limit, p.offset],
      ),
    ]);
    return pageOf(
      p,
      Number(count.rows[0].n),
      rows.rows.map((r) => ({
        callId: Number(r.call_id),
        sku: r.sku,
        quantity: r.quantity,
        at: r.at.toISOString(),
      })),
    );
  }

  async stats(): Promise<InventoryStats> {
    const res = await this.db.query<{ items: string; calls: string; applied: string; rejected: string }>(
      `SELECT (SELECT count(*) FROM sandbox_marketplace.inventory_items) AS items,
              count(*) AS calls, coalesce(sum(applied), 0) AS applied,
              coalesce(sum(requested - applied), 0) AS rejected
         FROM sandbox_marketplace.bulk_calls`,
    );
    const r = res.rows[0];
    return {
      inventoryItems: Number(r.items),
      bulkUpdateCalls: Number(r.calls),
      skuUpdatesApplied: Number(r.applied),
      skuUpdatesRejected: Number(r.rejected),
    };
  }
}
