import fc from 'fast-check';
import { type FixtureLocation, LedgerFixture } from '../../../test/process/ledger-fixture';
import type { ReservationView } from './reservations';

const SKUS = ['A', 'B'];
const LOCATIONS: FixtureLocation[] = ['L1', 'L2'];

interface Run {
  channel: string;
  sku: (name: string) => string;
  reservations: ReservationView[];
}

const line = fc.record(
  {
    sku: fc.constantFrom(...SKUS),
    quantity: fc.integer({ min: 1, max: 6 }),
    location: fc.option(fc.constantFrom(...LOCATIONS), { nil: undefined }),
  },
  { requiredKeys: ['sku', 'quantity'] },
);
type Line = { sku: string; quantity: number; location?: string };

const operation = fc.oneof(
  fc.record({ op: fc.constant('reserve' as const), lines: fc.array(line, { minLength: 1, maxLength: 3 }) }),
  fc.record({
    op: fc.constant('change' as const),
    pick: fc.nat(),
    lines: fc.array(line, { minLength: 1, maxLength: 3 }),
  }),
  fc.record({
    op: fc.constantFrom('release' as const, 'confirm' as const, 'expire' as const),
    pick: fc.nat(),
  }),
  fc.record({
    op: fc.constant('extend' as const),
    pick: fc.nat(),
    ttlSeconds: fc.integer({ min: 1, max: 600 }),
  }),
);
type Operation = typeof operation extends fc.Arbitrary<infer T> ? T : never;

const units = (lines: Line[], sku: string) =>
  lines.filter((l) => l.sku === sku).reduce((sum, l) => sum + l.quantity, 0);

/**
 * Random sequences of creations, changes of lines, extensions, releases, confirmations and expiries, some of
 * them at once: after each batch the journal reproduces every level, reserved is exactly the lines of
 * active and confirmed reservations, nothing is oversold, and every granted change holds what it asked.
 */
describe('reservation changes property: random operations against the real database', () => {
  let f: LedgerFixture;

  beforeAll(async () => {
    f = await LedgerFixture.start('ledgerchangesprop');
  });

  afterAll(async () => {
    await f?.stop();
  });

  async function apply(run: Run, o: Operation): Promise<void> {
    const scoped = (lines: Line[]) => lines.map((l) => ({ ...l, sku: run.sku(l.sku) }));
    const { channel } = run;
    const target =
      'pick' in o && run.reservations.length > 0 ? run.reservations[o.pick % run.reservations.length] : null;
    const tolerated = (err: unknown) => {
      if ((err as { code?: string }).code !== 'reservation-not-active') throw err;
    };
    if (o.op === 'reserve') {
      const out = await f.reservations.reserve({ channel, lines: scoped(o.lines), ttlSeconds: 600 });
      if (out.kind === 'held') run.reservations.push(out.reservation);
    } else if (!target) {
      return;
    } else if (o.op === 'change') {
      const out = await f.reservations
        .changeLines({ id: target.id, channel, lines: scoped(o.lines) })
        .catch(tolerated);
      // Granted: it holds what was asked, per SKU. (Refused or not: the conservation check after the batch.)
      if (out?.kind === 'changed')
        for (const s of SKUS) expect(units(out.reservation.lines, run.sku(s))).toBe(units(o.lines, s));
    } else if (o.op === 'extend') {
      await f.reservations.extend({ id: target.id, channel, ttlSeconds: o.ttlSeconds }).catch(tolerated);
    } else if (o.op === 'release') {
      await f.reservations.release(target.id, channel).catch(tolerated);
    } else if (o.op === 'confirm') {
      await f.reservations.confirm(target.id, channel).catch(tolerated);
    } else {
      await f.db.query(`UPDATE reservations SET expires_at = now() WHERE id = $1 AND status = 'active'`, [
        target.id,
      ]);
      await f.reservations.expireDue(1000);
    }
  }

  it('keeps the journal, the levels and the reservation lines in agreement', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(operation, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 8 }),
        async (batches) => {
          const { channel, sku } = await f.channel({ A: { L1: 8, L2: 6 }, B: { L1: 5, L2: 9 } });
          const run: Run = { channel, sku, reservations: [] };
          for (const batch of batches) {
            // The operations of a batch run at once: they race for the same rows.
            await Promise.all(batch.map((o) => apply(run, o)));
            await f.expectConservation(channel);
          }
        },
      ),
      {
        numRuns: Number(process.env.PROPERTY_RUNS ?? 60),
        seed: process.env.PROPERTY_SEED ? Number(process.env.PROPERTY_SEED) : undefined,
      },
    );
  });
});
