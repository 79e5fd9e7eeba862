import { type ChannelPolicy, DEFAULT_CHANNEL_POLICY } from '@stockbridge/canonical';
import {
  Catalog,
  Db,
  Movements,
  type ReservationView,
  type ReserveCommand,
  Reservations,
  SingleLocationFirstSourcing,
} from '@stockbridge/ledger';
import { openDataSource } from '@stockbridge/persistence';
import type { DataSource } from 'typeorm';
import { createTestEnvironment, type TestEnvironment } from '../support/environment';

export type FixtureLocation = 'L1' | 'L2' | 'L3';

/**
 * The ledger on a test database of its own, without any app: locations L1, L2, L3, and per test a channel
 * (pool L1 then L2) with SKUs of its own, so that tests of one file never see each other's stock.
 */
export class LedgerFixture {
  db!: Db;
  catalog!: Catalog;
  movements!: Movements;
  reservations!: Reservations;
  private ds!: DataSource;
  private channels = 0;

  private constructor(private readonly env: TestEnvironment) {}

  static async start(label: string): Promise<LedgerFixture> {
    const f = new LedgerFixture(await createTestEnvironment(label));
    // Bursts of hundreds of callers queue for 12 connections (one client's holds also queue for its advisory
    // lock): on a loaded machine the last waits longer than an app's 10 s, which is not what these tests measure.
    f.ds = await openDataSource({ url: f.env.databaseUrl, poolSize: 12, connectionTimeoutMs: 60_000 });
    f.db = Db.fromDataSource(f.ds);
    f.catalog = new Catalog(f.db, 0);
    f.movements = new Movements(f.db);
    f.reservations = new Reservations(f.db, f.catalog, new SingleLocationFirstSourcing());
    await f.db.tx((sql) =>
      f.catalog.upsertLocations(
        sql,
        ['L1', 'L2', 'L3'].map((code) => ({ code, name: code, type: 'warehouse' as const })),
      ),
    );
    return f;
  }

  async stop(): Promise<void> {
    await this.ds?.destroy();
    await this.env.teardown();
  }

  /** A new channel with the policy given, and its SKUs counted at the locations given. */
  async channel(
    stock: Record<string, Partial<Record<FixtureLocation, number>>>,
    policy: Partial<ChannelPolicy> = {},
  ): Promise<{ channel: string; sku: (name: string) => string }> {
    const run = `c${this.channels++}`;
    const sku = (name: string) => `${run}-${name}`;
    await this.db.tx(async (sql) => {
      await this.catalog.upsertSkus(
        sql,
        Object.keys(stock).map((s) => ({ sku: sku(s), name: s })),
      );
      await this.catalog.upsertChannels(sql, [
        {
          code: run,
          name: run,
          policy: { ...DEFAULT_CHANNEL_POLICY, ...policy },
          pool: [
            { location: 'L1', priority: 10 },
            { location: 'L2', priority: 20 },
          ],
        },
      ]);
    });
    await this.movements.applyAll(
      Object.entries(stock).flatMap(([s, at]) =>
        Object.entries(at).map(([location, quantity]) => ({
          kind: 'count' as const,
          sku: sku(s),
          location,
          quantity: quantity ?? 0,
          sourceSystem: 'test',
          sourceEventId: `${run}-${s}-${location}`,
        })),
      ),
    );
    return { channel: run, sku };
  }

  async reserved(sku: string, location: FixtureLocation): Promise<number> {
    const [level] = await this.movements.levels({ sku, location });
    return level?.reserved ?? 0;
  }

  /** A reservation that must be granted. */
  async created(cmd: ReserveCommand): Promise<ReservationView> {
    const out = await this.reservations.reserve(cmd);
    if (out.kind !== 'held') throw new Error(`expected a hold, got ${JSON.stringify(out)}`);
    return out.reservation;
  }

  /**
   * The journal reproduces every level, nothing held exceeds on hand, and reserved equals the units of the
   * lines of active and confirmed reservations (nothing returned twice, nothing kept). With `channel`, only
   * for that channel's SKUs.
   */
  async expectConservation(channel?: string): Promise<void> {
    const journal = await this.movements.replayJournal();
    const levels = (await this.movements.levels()).filter((l) => !channel || l.sku.startsWith(`${channel}-`));
    const held = await this.db.query<{ sku: string; location: string; units: string }>(
      `SELECT l.sku, l.location, sum(l.quantity) AS units FROM reservation_lines l
       JOIN reservations r ON r.id = l.reservation_id WHERE r.status IN ('active', 'confirmed')
       GROUP BY l.sku, l.location`,
    );
    const heldBy = new Map(held.rows.map((r) => [`${r.sku}@${r.location}`, Number(r.units)]));
    for (const l of levels) {
      const at = `${l.sku}@${l.location}`;
      const { sku: _s, location: _l, version: _v, updatedAt: _u, ...buckets } = l;
      expect({ at, ...journal.get(at) }).toEqual({ at, ...buckets });
      expect(l.reserved + l.allocated + l.damaged + l.qualityControl).toBeLessThanOrEqual(l.onHand);
      expect({ at, reserved: l.reserved }).toEqual({ at, reserved: heldBy.get(at) ?? 0 });
    }
  }
}
