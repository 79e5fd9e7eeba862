// One file past 400 lines on purpose: the property test's generators, its workflow model and its checks are
// one procedure, run on one started platform.
import { randomUUID } from 'node:crypto';
import type { FulfilmentReportKind, ReservationConfirmedEvent } from '@stockbridge/canonical';
import { BUCKETS, DEFAULT_CHANNEL_POLICY } from '@stockbridge/canonical';
import {
  Catalog,
  Db,
  LedgerError,
  Movements,
  Reservations,
  SingleLocationFirstSourcing,
} from '@stockbridge/ledger';
import { deterministicEventId, envelope } from '@stockbridge/messaging';
import { operationalState, OrderLifecycle } from '@stockbridge/orders';
import { openDataSource } from '@stockbridge/persistence';
import fc from 'fast-check';
import type { DataSource } from 'typeorm';
import { type OrderServices, orderServices } from '../../apps/process-allocation/src/orders/order-services';
import { OrderError } from '../../apps/process-allocation/src/orders/order.error';
import { NearestSingleLocationSourcing } from '../../apps/process-allocation/src/sourcing/fulfilment-sourcing';
import { ReturnsService } from '../../apps/process-returns/src/returns/returns.service';
import { RmaRepository } from '../../apps/process-returns/src/returns/rma.repository';
import { createTestEnvironment, type TestEnvironment } from '../support/environment';

/**
 * Issue 4 acceptance: a conservation property over whole workflows. Random orders are placed, released,
 * shipped in parts, short-picked (and re-sourced), cancelled before and after release, returned and graded,
 * while stock drifts behind the platform's back and the WMS redelivers its reports. After every run: units
 * are neither created nor lost (on hand = initial + drift + returns received − shipped − short-picked −
 * destroyed, per SKU), every bucket is ≥ 0, the journal reproduces every level, allocated equals the open
 * units of fulfilment orders, every order line is accounted for (shipped + open + cancelled), and each
 * order's state agrees with its fulfilment facts. The workflows run through the real services over a real
 * PostgreSQL; the WMS's reports are the events system-wms would publish.
 */
const RUNS = Number(process.env.CONSERVATION_RUNS ?? 40);
const LOCATIONS = ['L1', 'L2', 'L3'];
const SKUS = ['S1', 'S2', 'S3'];

type Op =
  | { op: 'order'; lines: { sku: number; quantity: number }[] }
  | { op: 'release'; pick: number }
  | { op: 'ship'; pick: number; part: number }
  | { op: 'short'; pick: number; part: number }
  | { op: 'cancel'; pick: number; answer: 'cancelled' | 'cancel-refused' | 'later' }
  | { op: 'return'; pick: number; part: number; grades: [number, number, number] }
  | { op: 'drift'; sku: number; location: number; delta: number }
  | { op: 'redeliver' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant('order' as const),
      lines: fc.array(fc.record({ sku: fc.nat(2), quantity: fc.integer({ min: 1, max: 4 }) }), {
        minLength: 1,
        maxLength: 2,
      }),
    }),
  },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('release' as const), pick: fc.nat() }) },
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant('ship' as const),
      pick: fc.nat(),
      part: fc.double({ min: 0.01, max: 1, noNaN: true }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('short' as const),
      pick: fc.nat(),
      part: fc.double({ min: 0.01, max: 1, noNaN: true }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('cancel' as const),
      pick: fc.nat(),
      answer: fc.constantFrom('cancelled' as const, 'cancel-refused' as const, 'later' as const),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('return' as const),
      pick: fc.nat(),
      part: fc.double({ min: 0.01, max: 1, noNaN: true }),
      grades: fc.tuple(fc.nat(3), fc.nat(3), fc.nat(3)),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('drift' as const),
      sku: fc.nat(2),
      location: fc.nat(2),
      delta: fc.integer({ min: -3, max: 3 }).filter((d) => d !== 0),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ op: 'redeliver' as const }) },
);

/** A scenario that exercises every operation at least once. */
const EVERY_OPERATION: [number[], Op[]] = [
  [6, 6, 6, 6, 6, 6, 6, 6, 6],
  [
    { op: 'order', lines: [{ sku: 0, quantity: 3 }] },
    { op: 'release', pick: 0 },
    { op: 'ship', pick: 0, part: 0.5 },
    { op: 'cancel', pick: 0, answer: 'later' },
    { op: 'ship', pick: 0, part: 1 },
    { op: 'order', lines: [{ sku: 1, quantity: 4 }] },
    { op: 'release', pick: 1 },
    { op: 'cancel', pick: 1, answer: 'later' },
    { op: 'short', pick: 1, part: 0.5 },
    { op: 'cancel', pick: 1, answer: 'cancelled' },
    { op: 'return', pick: 0, part: 1, grades: [1, 1, 1] },
    { op: 'drift', sku: 2, location: 0, delta: 2 },
    { op: 'order', lines: [{ sku: 2, quantity: 2 }] },
    { op: 'short', pick: 2, part: 1 },
    { op: 'redeliver' },
    { op: 'cancel', pick: 2, answer: 'cancel-refused' },
  ],
];

const initialArb = fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 9, maxLength: 9 });

describe('conservation over whole workflows (property)', () => {
  let env: TestEnvironment;
  let ds: DataSource;
  let db: Db;
  let movements: Movements;
  let reservations: Reservations;
  let workflows: OrderServices;
  let returns: ReturnsService;
  let run = 0;
  /** How often each operation changed something, over all runs: the property must have exercised them all. */
  const exercised: Record<string, number> = {};
  const did = (what: string) => (exercised[what] = (exercised[what] ?? 0) + 1);

  beforeAll(async () => {
    env = await createTestEnvironment('conservation');
    ds = await openDataSource({ url: env.databaseUrl, poolSize: 5, applicationName: 'test' });
    db = Db.fromDataSource(ds);
    movements = new Movements(db);
    const catalog = new Catalog(db, 0);
    reservations = new Reservations(db, catalog, new SingleLocationFirstSourcing());
    workflows = orderServices(db, reservations, new NearestSingleLocationSourcing());
    returns = new ReturnsService(db, new RmaRepository(db));
    await db.tx(async (sql) => {
      await catalog.upsertLocations(
        sql,
        LOCATIONS.map((code) => ({
          code,
          name: code,
          type: 'warehouse' as const,
          latitude: null,
          longitude: null,
        })),
      );
    });
  });

  afterAll(async () => {
    await ds?.destroy();
    await env?.teardown();
  });

  it('neither creates nor loses units, keeps every bucket ≥ 0 and lets the journal reproduce the levels', async () => {
    await fc.assert(
      fc.asyncProperty(initialArb, fc.array(opArb, { minLength: 5, maxLength: 30 }), async (initial, ops) => {
        await runScenario(initial, ops);
      }),
      // The random runs, plus one fixed scenario that goes through every operation (so the coverage check
      // below never depends on luck): shipments and short picks while a cancellation is pending included.
      { numRuns: RUNS, examples: [EVERY_OPERATION] },
    );
    for (const what of [
      'order',
      'release',
      'ship',
      'short',
      'cancel',
      'return',
      'drift',
      'redeliver',
      'ship during cancellation',
      'short during cancellation',
    ])
      expect({ what, exercised: (exercised[what] ?? 0) > 0 }).toEqual({ what, exercised: true });
  });

  async function runScenario(initial: number[], ops: Op[]): Promise<void> {
    const r = `r${run++}`;
    const channel = `c-${r}`;
    const skus = SKUS.map((s) => `${r}${s}`);
    const catalog = new Catalog(db, 0);
    await db.tx(async (sql) => {
      await catalog.upsertSkus(
        sql,
        skus.map((sku) => ({ sku, name: sku, priceCents: 1000 })),
      );
      await catalog.upsertChannels(sql, [
        {
          code: channel,
          name: channel,
          policy: DEFAULT_CHANNEL_POLICY,
          pool: LOCATIONS.map((location, i) => ({ location, priority: (i + 1) * 10 })),
        },
      ]);
    });
    let seq = 0;
    const source = (what: string) => `${r}-${what}-${seq++}`;
    // Units that came in or went away outside the order workflows, per SKU (the test's own tally).
    const external = new Map(skus.map((s) => [s, 0]));
    const seed = skus.flatMap((sku, i) =>
      LOCATIONS.map((location, j) => ({ sku, location, onHand: initial[i * 3 + j] })),
    );
    await movements.applyAll(
      seed.map((s) => ({
        kind: 'count' as const,
        sku: s.sku,
        location: s.location,
        quantity: s.onHand,
        sourceSystem: 'test',
        sourceEventId: source('seed'),
      })),
    );
    for (const s of seed) external.set(s.sku, external.get(s.sku)! + s.onHand);

    const orderIds: string[] = [];
    let lastReport: Parameters<OrderServices['reports']['report']>[0] | null = null;
    const report = async (
      foId: string,
      kind: FulfilmentReportKind,
      lines: { sku: string; quantity: number }[],
    ) => {
      lastReport = envelope(
        'fulfilment.reported',
        { kind, fulfilmentOrderId: foId, lines, sourceEventId: randomUUID(), detail: null },
        { source: 'system-wms', partitionKey: foId },
      );
      await workflows.reports.report(lastReport);
    };
    const openFos = async (pick: number, statuses: string[]) => {
      if (orderIds.length === 0) return null;
      const id = orderIds[pick % orderIds.length];
      const view = await workflows.orders.get(id);
      const fos = view.fulfilmentOrders.filter(
        (f) =>
          statuses.includes(f.status) &&
          f.lines.some((l) => l.quantity - l.shipped - l.shortPicked - l.cancelled > 0),
      );
      return fos.length ? fos[pick % fos.length] : null;
    };

    for (const op of ops) {
      switch (op.op) {
        case 'order': {
          const lines = op.lines.map((l) => ({ sku: skus[l.sku], quantity: l.quantity }));
          const out = await reservations.reserve({ channel, lines, ttlSeconds: 600 });
          if (out.kind !== 'held') break;
          await reservations.confirm(out.reservation.id, channel);
          const event: ReservationConfirmedEvent = envelope(
            'reservation.confirmed',
            {
              reservationId: out.reservation.id,
              channel,
              reference: null,
              lines: out.reservation.lines,
              confirmedAt: new Date().toISOString(),
            },
            {
              id: deterministicEventId(`confirmed/${out.reservation.id}`),
              source: 'process-reservations',
              partitionKey: out.reservation.id,
            },
          );
          await workflows.placement.place(event);
          // The relay's redelivery of the same event changes nothing.
          expect(await workflows.placement.place(event)).toEqual({
            orderId: out.reservation.id,
            created: false,
          });
          orderIds.push(out.reservation.id);
          did('order');
          break;
        }
        case 'release': {
          const fo = await openFos(op.pick, ['allocated']);
          if (fo) {
            await report(fo.id, 'released', []);
            did('release');
          }
          break;
        }
        case 'ship':
        case 'short': {
          const fo = await openFos(op.pick, [
            'allocated',
            'released',
            'partially_shipped',
            'cancel_requested',
          ]);
          if (!fo) break;
          const line = fo.lines.find((l) => l.quantity - l.shipped - l.shortPicked - l.cancelled > 0)!;
          const open = line.quantity - line.shipped - line.shortPicked - line.cancelled;
          const q = Math.max(1, Math.ceil(open * op.part));
          if (fo.status === 'cancel_requested') did(`${op.op} during cancellation`);
          await report(fo.id, op.op === 'ship' ? 'shipped' : 'short-picked', [
            { sku: line.sku, quantity: q },
          ]);
          did(op.op);
          break;
        }
        case 'cancel': {
          if (orderIds.length === 0) break;
          const id = orderIds[op.pick % orderIds.length];
          try {
            await workflows.cancellation.cancel(id, 'test');
            did('cancel');
          } catch (err) {
            if (!(err instanceof OrderError && err.code === 'order-not-cancellable')) throw err;
          }
          // The WMS answers now, or later (a later cancel of the same order answers then; meanwhile its
          // fulfilment orders may still ship or come up short).
          if (op.answer === 'later') break;
          for (const fo of (await workflows.orders.get(id)).fulfilmentOrders.filter(
            (f) => f.status === 'cancel_requested',
          ))
            await report(fo.id, op.answer, []);
          break;
        }
        case 'return': {
          if (orderIds.length === 0) break;
          const id = orderIds[op.pick % orderIds.length];
          const view = await workflows.orders.get(id);
          const done = await db.query<{ sku: string; n: string }>(
            `SELECT l.sku, sum(l.quantity) AS n FROM rma_lines l JOIN rmas m ON m.id = l.rma_id
             WHERE m.order_id = $1 AND m.status <> 'cancelled' GROUP BY l.sku`,
            [id],
          );
          const returned = new Map(done.rows.map((x) => [x.sku, Number(x.n)]));
          const line = view.lines.find((l) => l.shipped > (returned.get(l.sku) ?? 0));
          if (!line) break;
          const quantity = Math.max(1, Math.floor((line.shipped - (returned.get(line.sku) ?? 0)) * op.part));
          const opened = await returns.open({
            orderId: id,
            source: channel,
            externalRef: null,
            reason: 'changed mind',
            lines: [{ sku: line.sku, quantity }],
          });
          const at = LOCATIONS[op.pick % LOCATIONS.length];
          await returns.receive(opened.rma.id, at, [{ sku: line.sku, quantity }], 'test');
          const [a, b, c] = op.grades;
          const total = a + b + c || 1;
          const resell = Math.floor((quantity * a) / total);
          const damaged = Math.floor((quantity * b) / total);
          await returns.grade(
            opened.rma.id,
            [{ sku: line.sku, resell, damaged, destroy: quantity - resell - damaged }],
            'test',
          );
          did('return');
          break;
        }
        case 'drift': {
          try {
            await movements.apply({
              kind: 'adjust',
              sku: skus[op.sku],
              location: LOCATIONS[op.location],
              quantity: op.delta,
              sourceSystem: 'test',
              sourceEventId: source('drift'),
            });
            external.set(skus[op.sku], external.get(skus[op.sku])! + op.delta);
            did('drift');
          } catch (err) {
            // Drift that would leave a bucket negative (or below what is held) is refused whole.
            if (!(err instanceof LedgerError && err.code === 'invariant-violation')) throw err;
          }
          break;
        }
        case 'redeliver': {
          if (!lastReport) break;
          const before = await db.query<{ n: string }>(`SELECT count(*) AS n FROM stock_movements`);
          expect(await workflows.reports.report(lastReport)).toEqual({ applied: false });
          const after = await db.query<{ n: string }>(`SELECT count(*) AS n FROM stock_movements`);
          expect(after.rows[0].n).toBe(before.rows[0].n);
          did('redeliver');
          break;
        }
      }
    }
    await expectConserved(skus, external, orderIds);
  }

  async function expectConserved(
    skus: string[],
    external: Map<string, number>,
    orderIds: string[],
  ): Promise<void> {
    const levels = (await movements.levels()).filter((l) => skus.includes(l.sku));
    const replayed = await movements.replayJournal();
    for (const l of levels) {
      for (const b of BUCKETS) expect(l[b]).toBeGreaterThanOrEqual(0);
      const j = replayed.get(`${l.sku}@${l.location}`)!;
      // Every bucket, whichever the ledger keeps: the journal replays to the stored level.
      expect({ at: `${l.sku}@${l.location}`, ...j }).toEqual({
        at: `${l.sku}@${l.location}`,
        ...Object.fromEntries(BUCKETS.map((b) => [b, l[b]])),
      });
    }
    const flows = await db.query<{
      sku: string;
      shipped: string;
      short: string;
      received: string;
      destroyed: string;
    }>(
      `SELECT k.sku,
         (SELECT coalesce(sum(shipped), 0) FROM fulfilment_lines WHERE sku = k.sku) AS shipped,
         (SELECT coalesce(sum(short_picked), 0) FROM fulfilment_lines WHERE sku = k.sku) AS short,
         (SELECT coalesce(sum(received), 0) FROM rma_lines WHERE sku = k.sku) AS received,
         (SELECT coalesce(sum(destroyed), 0) FROM rma_lines WHERE sku = k.sku) AS destroyed
       FROM skus k WHERE k.sku = ANY($1::text[])`,
      [skus],
    );
    for (const f of flows.rows) {
      const onHand = levels.filter((l) => l.sku === f.sku).reduce((s, l) => s + l.onHand, 0);
      const expected =
        external.get(f.sku)! - Number(f.shipped) - Number(f.short) + Number(f.received) - Number(f.destroyed);
      expect({ sku: f.sku, onHand }).toEqual({ sku: f.sku, onHand: expected });
    }
    // Allocated = the open units of fulfilment orders; reserved = active reservations (none here) and
    // confirmed ones without an order (none: every confirmation placed its order).
    const open = await db.query<{ sku: string; location: string; units: string }>(
      `SELECT l.sku, f.location, sum(l.quantity - l.shipped - l.short_picked - l.cancelled) AS units
       FROM fulfilment_lines l JOIN fulfilment_orders f ON f.id = l.fulfilment_order_id
       WHERE l.sku = ANY($1::text[]) GROUP BY l.sku, f.location`,
      [skus],
    );
    const openBy = new Map(open.rows.map((x) => [`${x.sku}@${x.location}`, Number(x.units)]));
    for (const l of levels) {
      expect({ at: `${l.sku}@${l.location}`, allocated: l.allocated, reserved: l.reserved }).toEqual({
        at: `${l.sku}@${l.location}`,
        allocated: openBy.get(`${l.sku}@${l.location}`) ?? 0,
        reserved: 0,
      });
      // Graded returns leave quality control.
      expect(l.qualityControl).toBe(0);
    }
    for (const id of orderIds) {
      const view = await workflows.orders.get(id);
      for (const line of view.lines) {
        const fl = view.fulfilmentOrders.flatMap((f) => f.lines.filter((x) => x.sku === line.sku));
        const shipped = fl.reduce((s, x) => s + x.shipped, 0);
        const openUnits = fl.reduce((s, x) => s + x.quantity - x.shipped - x.shortPicked - x.cancelled, 0);
        expect({ order: id, sku: line.sku, accounted: shipped + openUnits + line.cancelled }).toEqual({
          order: id,
          sku: line.sku,
          accounted: line.quantity,
        });
      }
      const facts = await OrderLifecycle.facts(db, id);
      if (!['delivered', 'settled', 'returned'].includes(view.state))
        expect({ order: id, state: view.state }).toEqual({ order: id, state: operationalState(facts) });
    }
  }
});
