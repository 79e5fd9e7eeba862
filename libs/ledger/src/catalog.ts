import type { Channel, ChannelPolicy } from '@stockbridge/canonical';
import type { PoolClient } from 'pg';
import type { Db } from './db';

/** What a reconciliation run does with a location's variance (`locations.reconciliation_policy`). */
export type LocationReconciliationPolicy = 'trust-wms' | 'trust-erp' | 'report-only';

export const LOCATION_RECONCILIATION_POLICIES: readonly LocationReconciliationPolicy[] = [
  'trust-wms',
  'trust-erp',
  'report-only',
];

export interface LocationInput {
  code: string;
  name: string;
  type: 'warehouse' | 'store';
  latitude?: number | null;
  longitude?: number | null;
  /** Fulfilment orders it may ship per day; null for no limit. */
  dailyShipCapacity?: number | null;
  /**
   * Sets the location's reconciliation policy; absent or null keeps the current one (`report-only` for a new
   * location).
   */
  reconciliationPolicy?: LocationReconciliationPolicy | null;
}

export interface SkuInput {
  sku: string;
  name: string;
  priceCents?: number;
  costCents?: number;
}

export interface ChannelInput {
  code: string;
  name: string;
  policy: ChannelPolicy;
  pool: { location: string; priority: number }[];
}

interface ChannelRow {
  code: string;
  name: string;
  buffer_percent: number;
  holdback: number;
  max_exposed: number | null;
  staleness_seconds: number | null;
  stale_mode: 'zero' | 'buffered';
  max_ttl_seconds: number;
  max_held_units_per_client: number | null;
  pool: { location: string; priority: number }[] | null;
}

function toChannel(r: ChannelRow): Channel {
  return {
    code: r.code,
    name: r.name,
    policy: {
      bufferPercent: r.buffer_percent,
      holdback: r.holdback,
      maxExposed: r.max_exposed,
      stalenessSeconds: r.staleness_seconds,
      staleMode: r.stale_mode,
      maxTtlSeconds: r.max_ttl_seconds,
      maxHeldUnitsPerClient: r.max_held_units_per_client,
    },
    pool: (r.pool ?? []).sort((a, b) => a.priority - b.priority || (a.location < b.location ? -1 : 1)),
  };
}

const CHANNELS_SQL = `
  SELECT c.code, c.name, c.buffer_percent, c.holdback, c.max_exposed, c.staleness_seconds, c.stale_mode,
    c.max_ttl_seconds, c.max_held_units_per_client,
    (SELECT json_agg(json_build_object('location', cl.location, 'priority', cl.priority))
       FROM channel_locations cl WHERE cl.channel = c.code) AS pool
  FROM channels c`;

/**
 * Catalog reads and writes: SKUs, locations, channels with their pools and policies. Channels are read on
 * every reservation, so they are cached for a few seconds; a catalog change is visible within that time.
 */
export class Catalog {
  private cache: { at: number; channels: Map<string, Channel> } | null = null;

  constructor(
    private readonly db: Db,
    private readonly cacheMs = 5_000,
  ) {}

  async channels(): Promise<Map<string, Channel>> {
    if (this.cache && Date.now() - this.cache.at < this.cacheMs) return this.cache.channels;
    const res = await this.db.query<ChannelRow>(CHANNELS_SQL);
    const channels = new Map(res.rows.map((r) => [r.code, toChannel(r)]));
    this.cache = { at: Date.now(), channels };
    return channels;
  }

  async channel(code: string): Promise<Channel | undefined> {
    return (await this.channels()).get(code);
  }

  invalidate(): void {
    this.cache = null;
  }

  async upsertLocations(sql: PoolClient, locations: LocationInput[]): Promise<void> {
    if (locations.length === 0) return;
    await sql.query(
      `INSERT INTO locations (code, name, type, latitude, longitude, daily_ship_capacity)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::float8[], $6::int[])
       ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, type = EXCLUDED.type,
         latitude = EXCLUDED.latitude, longitude = EXCLUDED.longitude,
         daily_ship_capacity = EXCLUDED.daily_ship_capacity`,
      [
        locations.map((l) => l.code),
        locations.map((l) => l.name),
        locations.map((l) => l.type),
        locations.map((l) => l.latitude ?? null),
        locations.map((l) => l.longitude ?? null),
        locations.map((l) => l.dailyShipCapacity ?? null),
      ],
    );
    const withPolicy = locations.filter((l) => (l.reconciliationPolicy ?? null) !== null);
    if (withPolicy.length === 0) return;
    await sql.query(
      `UPDATE locations l SET reconciliation_policy = p.policy
       FROM unnest($1::text[], $2::text[]) AS p(code, policy)
       WHERE l.code = p.code AND l.reconciliation_policy IS DISTINCT FROM p.policy`,
      [withPolicy.map((l) => l.code), withPolicy.map((l) => l.reconciliationPolicy)],
    );
  }

  async upsertSkus(sql: PoolClient, skus: SkuInput[]): Promise<void> {
    for (let i = 0; i < skus.length; i += 5000) {
      const chunk = skus.slice(i, i + 5000);
      await sql.query(
        `INSERT INTO skus (sku, name, price_cents, cost_cents)
         SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[])
         ON CONFLICT (sku) DO UPDATE SET name = EXCLUDED.name, price_cents = EXCLUDED.price_cents,
           cost_cents = EXCLUDED.cost_cents`,
        [
          chunk.map((s) => s.sku),
          chunk.map((s) => s.name),
          chunk.map((s) => s.priceCents ?? 0),
          chunk.map((s) => s.costCents ?? 0),
        ],
      );
    }
  }

  async upsertChannels(sql: PoolClient, channels: ChannelInput[]): Promise<void> {
    for (const c of channels) {
      await sql.query(
        `INSERT INTO channels (code, name, buffer_percent, holdback, max_exposed, staleness_seconds, stale_mode,
           max_ttl_seconds, max_held_units_per_client)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, buffer_percent = EXCLUDED.buffer_percent,
           holdback = EXCLUDED.holdback, max_exposed = EXCLUDED.max_exposed,
           staleness_seconds = EXCLUDED.staleness_seconds, stale_mode = EXCLUDED.stale_mode,
           max_ttl_seconds = EXCLUDED.max_ttl_seconds, max_held_units_per_client = EXCLUDED.max_held_units_per_client`,
        [
          c.code,
          c.name,
          c.policy.bufferPercent,
          c.policy.holdback,
          c.policy.maxExposed,
          c.policy.stalenessSeconds,
          c.policy.staleMode,
          c.policy.maxTtlSeconds,
          c.policy.maxHeldUnitsPerClient,
        ],
      );
      await sql.query('DELETE FROM channel_locations WHERE channel = $1', [c.code]);
      await sql.query(
        `INSERT INTO channel_locations (channel, location, priority)
         SELECT $1, * FROM unnest($2::text[], $3::int[])`,
        [c.code, c.pool.map((p) => p.location), c.pool.map((p) => p.priority)],
      );
    }
    this.invalidate();
  }

  async knownSkus(skus: string[]): Promise<Set<string>> {
    const res = await this.db.query<{ sku: string }>('SELECT sku FROM skus WHERE sku = ANY($1::text[])', [
      skus,
    ]);
    return new Set(res.rows.map((r) => r.sku));
  }

  async locationExists(code: string): Promise<boolean> {
    const res = await this.db.query('SELECT 1 FROM locations WHERE code = $1', [code]);
    return (res.rowCount ?? 0) > 0;
  }
}
