import { Injectable } from '@nestjs/common';
import { type Page, pageOf, type Paging } from '../infra/paging';
import { SandboxDb } from '../infra/sandbox-db';
import type { ListingView } from './marketplace.dto';

interface ListingRow {
  seller_sku: string;
  quantity: number;
  updated_at: Date;
}

const toListing = (r: ListingRow): ListingView => ({
  sellerSku: r.seller_sku,
  quantity: r.quantity,
  updatedAt: r.updated_at.toISOString(),
});

/** The stand-in marketplace: a quantity per seller SKU, and every update to it. */
@Injectable()
export class MarketplaceService {
  constructor(private readonly db: SandboxDb) {}

  async setQuantity(sellerSku: string, quantity: number): Promise<ListingView> {
    const res = await this.db.query<ListingRow>(
      `WITH upd AS (INSERT INTO sandbox_marketplace.updates (seller_sku, quantity) VALUES ($1, $2))
       INSERT INTO sandbox_marketplace.listings (seller_sku, quantity) VALUES ($1, $2)
       ON CONFLICT (seller_sku) DO UPDATE SET quantity = EXCLUDED.quantity, updated_at = now()
       RETURNING seller_sku, quantity, updated_at`,
      [sellerSku, quantity],
    );
    return toListing(res.rows[0]);
  }

  async list(p: Paging): Promise<Page<ListingView>> {
    const [count, rows] = await Promise.all([
      this.db.query<{ n: string }>('SELECT count(*) AS n FROM sandbox_marketplace.listings'),
      this.db.query<ListingRow>(
        'SELECT seller_sku, quantity, updated_at FROM sandbox_marketplace.listings ORDER BY seller_sku LIMIT $1 OFFSET $2',
        [p.limit, p.offset],
      ),
    ]);
    return pageOf(p, Number(count.rows[0].n), rows.rows.map(toListing));
  }

  async stats(): Promise<{ quantityUpdates: number }> {
    const res = await this.db.query<{ n: string }>('SELECT count(*) AS n FROM sandbox_marketplace.updates');
    return { quantityUpdates: Number(res.rows[0].n) };
  }
}
