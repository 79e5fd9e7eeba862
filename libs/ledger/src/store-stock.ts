import { distanceKm, type GeoPoint } from '@stockbridge/canonical';
import type { Availability } from './availability';
import type { Catalog } from './catalog';
import type { Db } from './db';
import { LedgerError } from './ledger.error';

/** How many other stores a store's stock lists, nearest first. */
export const MAX_NEARBY_STORES = 10;

export interface NearbyStoreStock {
  location: string;
  name: string;
  /** Great-circle distance from the store; null when either has no coordinates. */
  distanceKm: number | null;
  available: number;
}

export interface StoreStockItem {
  sku: string;
  /** What the channel may sell of the SKU at this store (its policy applied); 0 for a SKU the catalog lacks. */
  available: number;
  /** The channel's other stores, nearest first (those without coordinates last), at most MAX_NEARBY_STORES. */
  nearby: NearbyStoreStock[];
}

export interface StoreStockView {
  store: string;
  asOf: Date;
  items: StoreStockItem[];
}

interface LocationRow {
  code: string;
  name: string;
  type: 'warehouse' | 'store';
  latitude: number | null;
  longitude: number | null;
}

const pointOf = (l: LocationRow): GeoPoint | null =>
  l.latitude !== null && l.longitude !== null ? { latitude: l.latitude, longitude: l.longitude } : null;

/**
 * Stock of SKUs at one store of a channel and at its other stores by distance (click and collect, "is it in a
 * store near me"): the channel's per-location figures (its policy applied, as the availability read model
 * publishes them), never above the channel figure, 0 once the figure is stale under a `zero` stale mode.
 */
export class StoreStock {
  constructor(
    private readonly db: Db,
    private readonly catalog: Catalog,
    private readonly availability: Availability,
  ) {}

  /** `unknown-channel` for an unknown channel; `unknown-location` when `store` is not a store of its pool. */
  async at(channelCode: string, store: string, skus: string[]): Promise<StoreStockView> {
    const channel = await this.catalog.channel(channelCode);
    if (!channel) throw new LedgerError('unknown-channel', `Channel "${channelCode}" does not exist.`);
    const res = await this.db.query<LocationRow>(
      `SELECT code, name, type, latitude, longitude FROM locations WHERE code = ANY($1::text[]) AND type = 'store'`,
      [channel.pool.map((p) => p.location)],
    );
    const here = res.rows.find((l) => l.code === store);
    if (!here)
      throw new LedgerError(
        'unknown-location',
        `Location "${store}" is not a store of channel "${channelCode}"'s location pool.`,
      );
    const origin = pointOf(here);
    const others = res.rows
      .filter((l) => l.code !== store)
      .map((l) => {
        const p = pointOf(l);
        const km = origin && p ? Math.round(distanceKm(origin, p) * 10) / 10 : null;
        return { location: l.code, name: l.name, distanceKm: km };
      })
      .sort(
        (a, b) =>
          (a.distanceKm ?? Infinity) - (b.distanceKm ?? Infinity) ||
          (a.location < b.location ? -1 : a.location > b.location ? 1 : 0),
      )
      .slice(0, MAX_NEARBY_STORES);

    const figures = await this.availability.compute(skus, [channelCode]);
    const bySku = new Map(figures.map((f) => [f.sku, f]));
    const now = new Date();
    const items = skus.map((sku) => {
      const f = bySku.get(sku);
      const stale = f !== undefined && f.staleAt !== null && now >= f.staleAt;
      const cap = f ? (stale ? f.staleAvailable : f.available) : 0;
      const at = (location: string) =>
        Math.min(cap, f?.locations.find((l) => l.location === location)?.available ?? 0);
      return {
        sku,
        available: at(store),
        nearby: others.map((o) => ({ ...o, available: at(o.location) })),
      };
    });
    return { store, asOf: figures[0]?.asOf ?? now, items };
  }
}
