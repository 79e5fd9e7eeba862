// Longer than 400 lines on purpose: the ledger's property tests share one migrated database and their
// generators; the store transactions and reservation changes have files of their own.
import { createHash } from 'node:crypto';
import { DEFAULT_CHANNEL_POLICY } from '@stockbridge/canonical';
import { openDataSource } from '@stockbridge/persistence';
import fc from 'fast-check';
import type { DataSource } from 'typeorm';
import { createTestEnvironment, type TestEnvironment } from '../../../test/support/environment';
import { Catalog } from './catalog';
import { Db } from './db';
import { LedgerError } from './ledger.error';
import { Movements } from './movements';
import { canonicalJson, fingerprint, type ReserveCommand, Reservations } from './reservations';
import { SingleLocationFirstSourcing } from './sourcing.strategy';

const LOCATIONS = ['L1', 'L2'];
const SKUS = ['S1', 'S2'];

interface ModelLevel {
  onHand: number;
  reserved: number;
  damaged: number;
}
interface Model {
  run: string;
  levels: Map<string, ModelLevel>;
  reservations: {
    id: string;
    status: 'active' | 'confirmed' | 'released' | 'expired';
    lines: { sku: string; location: string; quantity: number }[];
  }[];
}
interface Real {
  db: Db;
  movements: Movements;
  reservations: Reservations;
  seq: { n: number };
}

const key = (sku: string, loc: string) => `${sku}@${loc}`;
const lv = (m: Model, sku: string, loc: string): ModelLevel => {
  const k = key(sku, loc);
  if (!m.levels.has(k)) m.levels.set(k, { onHand: 0, reserved: 0, damaged: 0 });
  return m.levels.get(k)!;
};
const avail = (l: ModelLevel) => Math.max(0, l.onHand - l.reserved - l.damaged);

async function expectLevels(m: Model, r: Real): Promise<void> {
  for (const sku of SKUS) {
    for (const loc of LOCATIONS) {
      const [real] = await r.movements.levels({ sku: `${m.run}${sku}`, location: loc });
      const model = lv(m, sku, loc);
      expect({
        at: key(sku, loc),
        onHand: real?.onHand ?? 0,
        reserved: real?.reserved ?? 0,
        damaged: real?.damaged ?? 0,
      }).toEqual({ at: key(sku, loc), ...model });
    }
  }
}

async function expectRefusal(p: Promise<unknown>, code: LedgerError['code']): Promise<void> {
  await expect(p).rejects.toMatchObject({ code });
}

const sku = fc.constantFrom(...SKUS);
const loc = fc.constantFrom(...LOCATIONS);

class Receive implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly sku: string,
    readonly loc: string,
    readonly q: number,
  ) {}
  check = () => true;
  async run(m: Model, r: Real) {
    await r.movements.apply({
      kind: 'receive',
      sku: m.run + this.sku,
      location: this.loc,
      quantity: this.q,
      sourceSystem: 'prop',
      sourceEventId: `${m.run}${r.seq.n++}`,
    });
    lv(m, this.sku, this.loc).onHand += this.q;
    await expectLevels(m, r);
  }
  toString = () => `receive(${this.sku},${this.loc},${this.q})`;
}

class Adjust implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly sku: string,
    readonly loc: string,
    readonly q: number,
  ) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const l = lv(m, this.sku, this.loc);
    const p = r.movements.apply({
      kind: 'adjust',
      sku: m.run + this.sku,
      location: this.loc,
      quantity: this.q,
      sourceSystem: 'prop',
      sourceEventId: `${m.run}${r.seq.n++}`,
    });
    if (l.onHand + this.q < l.reserved + l.damaged) await expectRefusal(p, 'invariant-violation');
    else {
      await p;
      l.onHand += this.q;
    }
    await expectLevels(m, r);
  }
  toString = () => `adjust(${this.sku},${this.loc},${this.q})`;
}

class Damage implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly sku: string,
    readonly loc: string,
    readonly q: number,
  ) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const l = lv(m, this.sku, this.loc);
    const p = r.movements.apply({
      kind: 'damage',
      sku: m.run + this.sku,
      location: this.loc,
      quantity: this.q,
      sourceSystem: 'prop',
      sourceEventId: `${m.run}${r.seq.n++}`,
    });
    if (l.reserved + l.damaged + this.q > l.onHand) await expectRefusal(p, 'invariant-violation');
    else {
      await p;
      l.damaged += this.q;
    }
    await expectLevels(m, r);
  }
  toString = () => `damage(${this.sku},${this.loc},${this.q})`;
}

class Reserve implements fc.AsyncCommand<Model, Real> {
  constructor(readonly lines: { sku: string; quantity: number; location?: string }[]) {}
  check = () => true;
  async run(m: Model, r: Real) {
    // Feasible iff every explicit line fits its location and each SKU's pooled demand fits what is left.
    const left = new Map<string, number>();
    for (const s of SKUS) for (const l of LOCATIONS) left.set(key(s, l), avail(lv(m, s, l)));
    let feasible = true;
    for (const line of this.lines.filter((x) => x.location)) {
      const k = key(line.sku, line.location!);
      if (left.get(k)! < line.quantity) feasible = false;
      else left.set(k, left.get(k)! - line.quantity);
    }
    for (const s of SKUS) {
      const demand = this.lines.filter((x) => !x.location && x.sku === s).reduce((a, x) => a + x.quantity, 0);
      if (demand > LOCATIONS.reduce((a, l) => a + left.get(key(s, l))!, 0)) feasible = false;
    }
    const out = await r.reservations.reserve({
      channel: `${m.run}ch`,
      lines: this.lines.map((l) => ({ ...l, sku: m.run + l.sku })),
      ttlSeconds: 3600,
    });
    expect(out.kind).toBe(feasible ? 'held' : 'short');
    if (out.kind === 'held') {
      const lines = out.reservation.lines.map((l) => ({ ...l, sku: l.sku.slice(m.run.length) }));
      for (const s of SKUS) {
        const asked = this.lines.filter((x) => x.sku === s).reduce((a, x) => a + x.quantity, 0);
        expect(lines.filter((x) => x.sku === s).reduce((a, x) => a + x.quantity, 0)).toBe(asked);
      }
      for (const l of lines) lv(m, l.sku, l.location).reserved += l.quantity;
      m.reservations.push({ id: out.reservation.id, status: 'active', lines });
    }
    await expectLevels(m, r);
  }
  toString = () => `reserve(${JSON.stringify(this.lines)})`;
}

class Transition implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly action: 'release' | 'confirm' | 'expire',
    readonly pick: number,
  ) {}
  check = (m: Readonly<Model>) => m.reservations.length > 0;
  async run(m: Model, r: Real) {
    const res = m.reservations[this.pick % m.reservations.length];
    if (this.action === 'expire') {
      await r.db.query(`UPDATE reservations SET expires_at = now() - interval '1 second' WHERE id = $1`, [
        res.id,
      ]);
      const { expired } = await r.reservations.expireDue(1000);
      if (res.status === 'active') {
        expect(expired).toContain(res.id);
        res.status = 'expired';
        for (const l of res.lines) lv(m, l.sku, l.location).reserved -= l.quantity;
      } else expect(expired).not.toContain(res.id);
      // Put the clock back for confirmed ones so later commands see them as they were.
      await r.db.query(
        `UPDATE reservations SET expires_at = now() + interval '1 hour' WHERE id = $1 AND status <> 'expired'`,
        [res.id],
      );
    } else if (this.action === 'release') {
      const p = r.reservations.release(res.id, `${m.run}ch`);
      if (res.status === 'active' || res.status === 'released') {
        await p;
        if (res.status === 'active')
          for (const l of res.lines) lv(m, l.sku, l.location).reserved -= l.quantity;
        res.status = 'released';
      } else await expectRefusal(p, 'reservation-not-active');
    } else {
      const p = r.reservations.confirm(res.id, `${m.run}ch`);
      if (res.status === 'active' || res.status === 'confirmed') {
        await p;
        res.status = 'confirmed';
      } else await expectRefusal(p, 'reservation-not-active');
    }
    await expectLevels(m, r);
  }
  toString = () => `${this.action}(#${this.pick})`;
}

const line = fc.record(
  { sku, quantity: fc.integer({ min: 1, max: 6 }), location: fc.option(loc, { nil: undefined }) },
  { requiredKeys: ['sku', 'quantity'] },
);
const commands = [
  fc.tuple(sku, loc, fc.integer({ min: 1, max: 20 })).map(([s, l, q]) => new Receive(s, l, q)),
  fc
    .tuple(
      sku,
      loc,
      fc.integer({ min: -10, max: 10 }).filter((q) => q !== 0),
    )
    .map(([s, l, q]) => new Adjust(s, l, q)),
  fc.tuple(sku, loc, fc.integer({ min: 1, max: 4 })).map(([s, l, q]) => new Damage(s, l, q)),
  fc.array(line, { minLength: 1, maxLength: 3 }).map((lines) => new Reserve(lines)),
  fc
    .tuple(fc.constantFrom('release' as const, 'confirm' as const, 'expire' as const), fc.nat())
    .map(([a, i]) => new Transition(a, i)),
];

describe('ledger property: random operations against the real database', () => {
  let env: TestEnvironment;
  let ds: DataSource;
  let real: Real;
  let catalog: Catalog;
  let runs = 0;

  beforeAll(async () => {
    env = await createTestEnvironment('ledgerprop');
    ds = await openDataSource({ url: env.databaseUrl, poolSize: 5 });
    const db = Db.fromDataSource(ds);
    catalog = new Catalog(db, 0);
    real = {
      db,
      movements: new Movements(db),
      reservations: new Reservations(db, catalog, new SingleLocationFirstSourcing()),
      seq: { n: 0 },
    };
    await db.tx((sql) =>
      catalog.upsertLocations(
        sql,
        LOCATIONS.map((code) => ({ code, name: code, type: 'warehouse' as const })),
      ),
    );
  });

  afterAll(async () => {
    await ds?.destroy();
    await env?.teardown();
  });

  it('keeps every bucket ≥ 0, never oversells, matches the model, and the journal reproduces the levels', async () => {
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 25 }), async (cmds) => {
        const run = `r${runs++}-`;
        await real.db.tx(async (sql) => {
          await catalog.upsertSkus(
            sql,
            SKUS.map((s) => ({ sku: run + s, name: s })),
          );
          await catalog.upsertChannels(sql, [
            {
              code: `${run}ch`,
              name: 'prop',
              policy: DEFAULT_CHANNEL_POLICY,
              pool: LOCATIONS.map((location, i) => ({ location, priority: i })),
            },
          ]);
        });
        await fc.asyncModelRun(
          () => ({ model: { run, levels: new Map(), reservations: [] } as Model, real }),
          cmds,
        );

        const levels = await real.movements.levels();
        const journal = await real.movements.replayJournal();
        for (const l of levels) {
          expect(
            Math.min(
              l.onHand,
              l.reserved,
              l.allocated,
              l.damaged,
              l.qualityControl,
              l.incoming,
              l.safetyStock,
            ),
          ).toBeGreaterThanOrEqual(0);
          expect(l.reserved + l.allocated + l.damaged + l.qualityControl).toBeLessThanOrEqual(l.onHand);
          const { sku: _s, location: _l, version: _v, updatedAt: _u, ...buckets } = l;
          expect(journal.get(`${l.sku}@${l.location}`)).toEqual(buckets);
        }
      }),
      {
        numRuns: Number(process.env.PROPERTY_RUNS ?? 200),
        seed: process.env.PROPERTY_SEED ? Number(process.env.PROPERTY_SEED) : undefined,
      },
    );
  });
});

describe('reservation ship-to', () => {
  let env: TestEnvironment;
  let ds: DataSource;
  let db: Db;
  let reservations: Reservations;

  beforeAll(async () => {
    env = await createTestEnvironment('ledgershipto');
    ds = await openDataSource({ url: env.databaseUrl, poolSize: 3 });
    db = Db.fromDataSource(ds);
    const catalog = new Catalog(db, 0);
    await db.tx(async (sql) => {
      await catalog.upsertLocations(sql, [{ code: 'L1', name: 'L1', type: 'warehouse' as const }]);
      await catalog.upsertSkus(sql, [{ sku: 'G1', name: 'G1' }]);
      await catalog.upsertChannels(sql, [
        { code: 'geo', name: 'geo', policy: DEFAULT_CHANNEL_POLICY, pool: [{ location: 'L1', priority: 1 }] },
      ]);
    });
    await new Movements(db).applyAll([
      {
        kind: 'count',
        sku: 'G1',
        location: 'L1',
        quantity: 10,
        sourceSystem: 'test',
        sourceEventId: 'geo-1',
      },
    ]);
    reservations = new Reservations(db, catalog, new SingleLocationFirstSourcing());
  });

  afterAll(async () => {
    await ds?.destroy();
    await env?.teardown();
  });

  const base: ReserveCommand = { channel: 'geo', lines: [{ sku: 'G1', quantity: 1 }], ttlSeconds: 60 };

  it('leaves the idempotency fingerprint of a request without shipTo as it was', () => {
    const before = createHash('sha256')
      .update(
        canonicalJson({ op: 'reserve', channel: 'geo', lines: base.lines, ttlSeconds: 60, reference: null }),
      )
      .digest('hex');
    expect(fingerprint(base)).toBe(before);
    expect(fingerprint({ ...base, shipTo: null })).toBe(before);
    expect(fingerprint({ ...base, shipTo: { latitude: 1, longitude: 2 } })).not.toBe(before);
    expect(fingerprint({ ...base, shipTo: { longitude: 2, latitude: 1 } })).toBe(
      fingerprint({ ...base, shipTo: { latitude: 1, longitude: 2 } }),
    );
  });

  it('stores shipTo with the reservation in the hold statement and puts it in the confirmed event', async () => {
    const shipTo = { latitude: -33.8688, longitude: 151.2093 };
    const out = await reservations.reserve({
      ...base,
      shipTo,
      idempotency: { principal: 'p', key: 'geo-key', retentionHours: 1 },
    });
    expect(out.kind).toBe('held');
    if (out.kind !== 'held') return;
    expect(out.reservation.shipTo).toEqual(shipTo);
    const replay = await reservations.reserve({
      ...base,
      shipTo,
      idempotency: { principal: 'p', key: 'geo-key', retentionHours: 1 },
    });
    expect(replay).toMatchObject({ kind: 'held', replayed: true, reservation: out.reservation });
    expect((await reservations.get(out.reservation.id, 'geo')).shipTo).toEqual(shipTo);

    await reservations.confirm(out.reservation.id, 'geo');
    const event = await db.query<{ payload: Record<string, unknown> }>(
      `SELECT envelope->'payload' AS payload FROM outbox_events WHERE envelope->'payload'->>'reservationId' = $1`,
      [out.reservation.id],
    );
    expect(event.rows.map((r) => r.payload.shipTo)).toEqual([shipTo]);

    const plain = await reservations.reserve(base);
    expect(plain.kind === 'held' && plain.reservation.shipTo).toBeNull();
  });
});
