import type { Channel, PublishedAvailability } from '@stockbridge/canonical';
import type { Catalog } from './catalog';
import type { ChannelAvailabilityStrategy, ChannelFigure, PoolFigure } from './channel-availability.strategy';
import type { Db } from './db';
import { AVAILABLE_SQL } from './rows';

export interface ComputedAvailability extends ChannelFigure {
  channel: string;
  sku: string;
  /** Monotonic per (channel, SKU): newer stock data always has a higher version. */
  version: number;
  asOf: Date;
}

interface Row {
  sku: string;
  location: string | null;
  available: string | null;
  synced_at: Date | null;
  version: string | null;
  as_of: Date;
}

/** Computes channel availability from the ledger for the read model. */
export class Availability {
  constructor(
    private readonly db: Db,
    private readonly catalog: Catalog,
    private readonly strategy: ChannelAvailabilityStrategy,
  ) {}

  async compute(skus: string[], channelCodes?: string[]): Promise<ComputedAvailability[]> {
    return (await this.computeWithVersions(skus, channelCodes)).figures;
  }

  /** The figures, and the stock version of each SKU (the sum of its level versions) they were computed from. */
  private async computeWithVersions(
    skus: string[],
    channelCodes?: string[],
  ): Promise<{ figures: ComputedAvailability[]; versions: Map<string, number> }> {
    if (skus.length === 0) return { figures: [], versions: new Map() };
    const channels = [...(await this.catalog.channels()).values()].filter(
      (c) => !channelCodes || channelCodes.includes(c.code),
    );
    const res = await this.db.query<Row>(
      `SELECT k.sku, s.location, ${AVAILABLE_SQL} AS available,
         s.synced_at, s.version, now() AS as_of
       FROM skus k LEFT JOIN stock_levels s ON s.sku = k.sku
       WHERE k.sku = ANY($1::text[])`,
      [skus],
    );
    const bySku = new Map<string, Row[]>();
    for (const r of res.rows) {
      if (!bySku.has(r.sku)) bySku.set(r.sku, []);
      if (r.location !== null) bySku.get(r.sku)!.push(r);
    }
    const out: ComputedAvailability[] = [];
    const versions = new Map<string, number>();
    for (const [sku, rows] of bySku) {
      const asOf = res.rows[0].as_of;
      versions.set(
        sku,
        rows.reduce((sum, r) => sum + Number(r.version), 0),
      );
      for (const channel of channels) out.push(this.forChannel(channel, sku, rows, asOf));
    }
    return { figures: out, versions };
  }

  /** The figures of `skus` for every channel, in the shape the availability read model stores. */
  async publishable(skus: string[]): Promise<PublishedAvailability[]> {
    return (await this.publishableWithVersions(skus)).figures;
  }

  /** As publishable(), with the stock version of each SKU the figures were computed from. */
  async publishableWithVersions(
    skus: string[],
  ): Promise<{ figures: PublishedAvailability[]; versions: Map<string, number> }> {
    const { figures: computed, versions } = await this.computeWithVersions(skus);
    const figures = computed.map((f) => ({
      channel: f.channel,
      sku: f.sku,
      version: f.version,
      available: f.available,
      locations: f.locations,
      asOf: f.asOf.toISOString(),
      staleAt: f.staleAt?.toISOString() ?? null,
      staleAvailable: f.staleAvailable,
    }));
    return { figures, versions };
  }

  private forChannel(channel: Channel, sku: string, rows: Row[], asOf: Date): ComputedAvailability {
    const byLocation = new Map(rows.map((r) => [r.location as string, r]));
    const pool: PoolFigure[] = [];
    let version = 0;
    for (const member of channel.pool) {
      const r = byLocation.get(member.location);
      version += r ? Number(r.version) : 0;
      pool.push({
        location: member.location,
        available: r ? Number(r.available) : 0,
        syncedAt: r?.synced_at ?? asOf,
      });
    }
    return { channel: channel.code, sku, version, asOf, ...this.strategy.figure(channel.policy, pool) };
  }

  /**
   * SKUs whose levels changed at or after `since` (by the database clock), each with its stock version: the
   * sum of its level versions, which grows with every change of the SKU anywhere.
   */
  async changedSince(since: Date): Promise<{ changes: { sku: string; version: number }[]; now: Date }> {
    const res = await this.db.query<{ sku: string | null; version: string | null; now: Date }>(
      `SELECT c.sku, c.version, now() AS now FROM (SELECT 1) one
       LEFT JOIN (
         SELECT sku, sum(version) AS version FROM stock_levels
         WHERE sku IN (SELECT sku FROM stock_levels WHERE updated_at >= $1) GROUP BY sku
       ) c ON true`,
      [since],
    );
    return {
      changes: res.rows
        .filter((r) => r.sku !== null)
        .map((r) => ({ sku: r.sku as string, version: Number(r.version) })),
      now: res.rows[0].now,
    };
  }

  async allSkus(): Promise<string[]> {
    const res = await this.db.query<{ sku: string }>('SELECT sku FROM skus ORDER BY sku');
    return res.rows.map((r) => r.sku);
  }
}
