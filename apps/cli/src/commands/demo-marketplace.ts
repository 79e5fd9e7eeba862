import type { CliServices } from '../cli-services';

/** The demo's marketplace channel: its SKUs are listed on the sandbox marketplace. */
export const MARKETPLACE_CHANNEL = 'marketplace';
/** eBay's seller SKUs are at most 50 characters; a longer SKU cannot be listed. */
const MAX_SELLER_SKU = 50;
/** eBay's listing titles are at most 80 characters. */
const MAX_TITLE = 80;
/** The availability of this many SKUs is computed at a time. */
const FIGURES_BATCH = 500;

export interface MarketplaceListing {
  sku: string;
  quantity: number;
  title: string;
  price: { currency: string; value: string };
}

/**
 * What the sandbox marketplace should list for the demo: one inventory item per SKU of the catalog (the seller
 * SKU is our SKU: a seller defines its own), with the marketplace channel's availability now as its quantity
 * and the SKU's name and price. Empty when the catalog has no marketplace channel. `skipped` counts SKUs too
 * long for a seller SKU.
 */
export async function marketplaceListings(
  services: Pick<CliServices, 'db' | 'availability'>,
): Promise<{ listings: MarketplaceListing[]; skipped: number }> {
  const channel = await services.db.query('SELECT 1 FROM channels WHERE code = $1', [MARKETPLACE_CHANNEL]);
  if (channel.rows.length === 0) return { listings: [], skipped: 0 };
  const skus = (
    await services.db.query<{ sku: string; name: string; price_cents: string }>(
      'SELECT sku, name, price_cents FROM skus ORDER BY sku',
    )
  ).rows;
  const listable = skus.filter((s) => s.sku.length <= MAX_SELLER_SKU);
  const available = new Map<string, number>();
  for (let i = 0; i < listable.length; i += FIGURES_BATCH) {
    const figures = await services.availability.publishable(
      listable.slice(i, i + FIGURES_BATCH).map((s) => s.sku),
    );
    for (const f of figures) if (f.channel === MARKETPLACE_CHANNEL) available.set(f.sku, f.available);
  }
  return {
    listings: listable.map((s) => ({
      sku: s.sku,
      quantity: available.get(s.sku) ?? 0,
      title: s.name.slice(0, MAX_TITLE),
      price: { currency: 'USD', value: (Number(s.price_cents) / 100).toFixed(2) },
    })),
    skipped: skus.length - listable.length,
  };
}
