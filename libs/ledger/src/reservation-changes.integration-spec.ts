import { LedgerFixture } from '../../../test/process/ledger-fixture';
import { move } from './journal';
import type { ReservationView } from './reservations';

/** Extending a reservation and changing its lines, against the real database. */
describe('reservation changes', () => {
  let f: LedgerFixture;

  beforeAll(async () => {
    f = await LedgerFixture.start('ledgerchanges');
  });

  afterAll(async () => {
    await f?.stop();
  });

  describe('extend', () => {
    it('moves expiresAt to now + ttlSeconds, keeps a later expiry, and moves no stock', async () => {
      const { channel, sku } = await f.channel({ A: { L1: 5 } }, { maxTtlSeconds: 3600 });
      const r = await f.created({ channel, lines: [{ sku: sku('A'), quantity: 2 }], ttlSeconds: 60 });
      const journalBefore = await f.db.query('SELECT count(*) FROM stock_movements');
      const before = Date.now();
      const out = await f.reservations.extend({ id: r.id, channel, ttlSeconds: 1200 });
      expect(out.changed).toBe(true);
      const expires = Date.parse(out.reservation.expiresAt);
      expect(expires).toBeGreaterThanOrEqual(before + 1_200_000);
      expect(expires).toBeLessThanOrEqual(Date.now() + 1_200_000);
      expect((await f.reservations.get(r.id, channel)).expiresAt).toBe(out.reservation.expiresAt);
      // Shorter than what it has: harmless, unchanged.
      const again = await f.reservations.extend({ id: r.id, channel, ttlSeconds: 30 });
      expect(again).toMatchObject({ changed: false, reservation: { expiresAt: out.reservation.expiresAt } });
      expect(await f.db.query('SELECT count(*) FROM stock_movements')).toMatchObject({
        rows: journalBefore.rows,
      });
      expect(await f.reserved(sku('A'), 'L1')).toBe(2);
    });

    it('refuses an expiry past createdAt + maxTtlSeconds and says the latest possible', async () => {
      const { channel, sku } = await f.channel({ A: { L1: 5 } }, { maxTtlSeconds: 600 });
      const r = await f.created({ channel, lines: [{ sku: sku('A'), quantity: 1 }], ttlSeconds: 60 });
      const latest = new Date(Date.parse(r.createdAt) + 600_000).toISOString();
      await expect(f.reservations.extend({ id: r.id, channel, ttlSeconds: 700 })).rejects.toMatchObject({
        code: 'ttl-exceeds-maximum',
        details: { maxTtlSeconds: 600, latestExpiresAt: latest },
      });
      expect((await f.reservations.get(r.id, channel)).expiresAt).toBe(r.expiresAt);
    });

    it('refuses a reservation that is not active (released, or past its expiry) and an unknown one', async () => {
      const { channel, sku } = await f.channel({ A: { L1: 5 } });
      const released = await f.created({ channel, lines: [{ sku: sku('A'), quantity: 1 }], ttlSeconds: 60 });
      await f.reservations.release(released.id, channel);
      await expect(f.reservations.extend({ id: released.id, channel, ttlSeconds: 60 })).rejects.toMatchObject(
        {
          code: 'reservation-not-active',
          details: { reservationStatus: 'released' },
        },
      );
      const due = await f.created({ channel, lines: [{ sku: sku('A'), quantity: 1 }], ttlSeconds: 60 });
      await f.db.query(`UPDATE reservations SET expires_at = now() - interval '1 second' WHERE id = $1`, [
        due.id,
      ]);
      await expect(f.reservations.extend({ id: due.id, channel, ttlSeconds: 60 })).rejects.toMatchObject({
        code: 'reservation-not-active',
        details: { reservationStatus: 'expired' },
      });
      await expect(
        f.reservations.extend({ id: '00000000-0000-4000-8000-000000000000', channel, ttlSeconds: 60 }),
      ).rejects.toMatchObject({ code: 'reservation-not-found' });
    });
  });

  describe('change lines', () => {
    it('holds increases, returns decreases, moves nothing for unchanged lines, and keeps expiresAt', async () => {
      const { channel, sku } = await f.channel({
        A: { L1: 10 },
        B: { L1: 10 },
        C: { L1: 10 },
        D: { L1: 10 },
      });
      const r = await f.created({
        channel,
        lines: [
          { sku: sku('A'), quantity: 2 },
          { sku: sku('B'), quantity: 5 },
          { sku: sku('C'), quantity: 3 },
        ],
        ttlSeconds: 600,
      });
      const out = await f.reservations.changeLines({
        id: r.id,
        channel,
        lines: [
          { sku: sku('A'), quantity: 2 },
          { sku: sku('B'), quantity: 1 },
          { sku: sku('D'), quantity: 4 },
        ],
      });
      expect(out.kind).toBe('changed');
      if (out.kind !== 'changed') return;
      expect(out.reservation.expiresAt).toBe(r.expiresAt);
      expect(out.reservation.lines).toEqual([
        { sku: sku('A'), quantity: 2, location: 'L1' },
        { sku: sku('B'), quantity: 1, location: 'L1' },
        { sku: sku('D'), quantity: 4, location: 'L1' },
      ]);
      expect(await f.reservations.get(r.id, channel)).toEqual(out.reservation);
      expect(out.changedSkus.sort()).toEqual([sku('B'), sku('C'), sku('D')].sort());
      const moves = await f.db.query<{ sku: string; movement_type: string; d_reserved: string }>(
        `SELECT sku, movement_type, d_reserved FROM stock_movements WHERE reservation_id = $1 ORDER BY id`,
        [r.id],
      );
      expect(moves.rows.map((m) => [m.sku, m.movement_type, Number(m.d_reserved)])).toEqual([
        [sku('A'), 'reserve', 2],
        [sku('B'), 'reserve', 5],
        [sku('C'), 'reserve', 3],
        [sku('B'), 'release', -4],
        [sku('C'), 'release', -3],
        [sku('D'), 'reserve', 4],
      ]);
      expect(await Promise.all(['A', 'B', 'C', 'D'].map((s) => f.reserved(sku(s), 'L1')))).toEqual([
        2, 1, 0, 4,
      ]);
      await f.expectConservation();
    });

    it('keeps unlocated lines where they are held and counts the own units as available', async () => {
      // A is held at L2 (L1 had too little then); L1 has plenty now but the line stays at L2.
      const { channel, sku } = await f.channel({ A: { L1: 1, L2: 5 } });
      const r = await f.created({ channel, lines: [{ sku: sku('A'), quantity: 4 }], ttlSeconds: 600 });
      expect(r.lines).toEqual([{ sku: sku('A'), quantity: 4, location: 'L2' }]);
      await f.movements.apply({
        kind: 'receive',
        sku: sku('A'),
        location: 'L1',
        quantity: 20,
        sourceSystem: 'test',
        sourceEventId: `${channel}-more`,
      });
      // 5 at L2: 1 available + the reservation's own 4.
      const out = await f.reservations.changeLines({
        id: r.id,
        channel,
        lines: [{ sku: sku('A'), quantity: 5 }],
      });
      expect(out.kind === 'changed' && out.reservation.lines).toEqual([
        { sku: sku('A'), quantity: 5, location: 'L2' },
      ]);
      expect(await f.reserved(sku('A'), 'L1')).toBe(0);
      expect(await f.reserved(sku('A'), 'L2')).toBe(5);
      await f.expectConservation();
    });

    it('changes nothing when any line is short, and reports the shortages like creation', async () => {
      const { channel, sku } = await f.channel({ A: { L1: 3 }, B: { L1: 2 } });
      const r = await f.created({ channel, lines: [{ sku: sku('A'), quantity: 2 }], ttlSeconds: 600 });
      const out = await f.reservations.changeLines({
        id: r.id,
        channel,
        lines: [
          { sku: sku('A'), quantity: 1 },
          { sku: sku('B'), quantity: 5 },
        ],
      });
      expect(out).toEqual({
        kind: 'short',
        shortages: [{ sku: sku('B'), requested: 5, available: 2 }],
        replayed: false,
        changedSkus: [],
      });
      expect(await f.reservations.get(r.id, channel)).toEqual(r);
      expect(await f.reserved(sku('A'), 'L1')).toBe(2);
      expect(await f.reserved(sku('B'), 'L1')).toBe(0);
      await f.expectConservation();
    });

    it('refuses unknown SKUs, locations outside the pool and reservations that are not active', async () => {
      const { channel, sku } = await f.channel({ A: { L1: 3, L3: 3 } });
      const r = await f.created({ channel, lines: [{ sku: sku('A'), quantity: 1 }], ttlSeconds: 600 });
      await expect(
        f.reservations.changeLines({ id: r.id, channel, lines: [{ sku: sku('nope'), quantity: 1 }] }),
      ).rejects.toMatchObject({ code: 'unknown-sku' });
      await expect(
        f.reservations.changeLines({
          id: r.id,
          channel,
          lines: [{ sku: sku('A'), quantity: 1, location: 'L3' }],
        }),
      ).rejects.toMatchObject({ code: 'location-not-in-channel' });
      await f.reservations.confirm(r.id, channel);
      await expect(
        f.reservations.changeLines({ id: r.id, channel, lines: [{ sku: sku('A'), quantity: 2 }] }),
      ).rejects.toMatchObject({
        code: 'reservation-not-active',
        details: { reservationStatus: 'confirmed' },
      });
      expect(await f.reserved(sku('A'), 'L1')).toBe(1);
    });

    it('replays a repeated key, refuses the key with another body or on another operation', async () => {
      const { channel, sku } = await f.channel({ A: { L1: 10 } });
      const idem = { principal: 'client:x', key: `${channel}-k1`, retentionHours: 1 };
      const r = await f.created({
        channel,
        lines: [{ sku: sku('A'), quantity: 1 }],
        ttlSeconds: 600,
        idempotency: { ...idem, key: `${channel}-create` },
      });
      const first = await f.reservations.changeLines({
        id: r.id,
        channel,
        lines: [{ sku: sku('A'), quantity: 3 }],
        idempotency: idem,
      });
      expect(first).toMatchObject({ kind: 'changed', replayed: false });
      const replay = await f.reservations.changeLines({
        id: r.id,
        channel,
        lines: [{ sku: sku('A'), quantity: 3 }],
        idempotency: idem,
      });
      expect(replay).toEqual({ ...first, replayed: true, changedSkus: [] });
      expect(await f.reserved(sku('A'), 'L1')).toBe(3);
      await expect(
        f.reservations.changeLines({
          id: r.id,
          channel,
          lines: [{ sku: sku('A'), quantity: 4 }],
          idempotency: idem,
        }),
      ).rejects.toMatchObject({ code: 'idempotency-key-reused' });
      // The creation's key on a change of lines: another request.
      await expect(
        f.reservations.changeLines({
          id: r.id,
          channel,
          lines: [{ sku: sku('A'), quantity: 1 }],
          idempotency: { ...idem, key: `${channel}-create` },
        }),
      ).rejects.toMatchObject({ code: 'idempotency-key-reused' });
      expect(await f.reserved(sku('A'), 'L1')).toBe(3);
    });

    it('never oversells when changes race other checkouts for the last units, and the journal adds up', async () => {
      const { channel, sku } = await f.channel({ A: { L1: 30, L2: 10 } });
      const carts = await Promise.all(
        Array.from({ length: 10 }, () =>
          f.created({ channel, lines: [{ sku: sku('A'), quantity: 1 }], ttlSeconds: 600 }),
        ),
      );
      // 30 left. Ten carts grow to 4 units (3 more each) while 20 new checkouts want 1 each: 50 wanted.
      const results = await Promise.all([
        ...carts.map((c) =>
          f.reservations.changeLines({ id: c.id, channel, lines: [{ sku: sku('A'), quantity: 4 }] }),
        ),
        ...Array.from({ length: 20 }, () =>
          f.reservations.reserve({ channel, lines: [{ sku: sku('A'), quantity: 1 }], ttlSeconds: 600 }),
        ),
      ]);
      const grown = results.slice(0, 10).filter((o) => o.kind === 'changed').length;
      const newHolds = results.slice(10).filter((o) => o.kind === 'held').length;
      const heldUnits = 10 + grown * 3 + newHolds;
      expect(heldUnits).toBeLessThanOrEqual(40);
      expect((await f.reserved(sku('A'), 'L1')) + (await f.reserved(sku('A'), 'L2'))).toBe(heldUnits);
      // Whatever lost got nothing: shortages, and its lines as they were.
      for (const [i, o] of results.slice(0, 10).entries()) {
        const now = await f.reservations.get(carts[i].id, channel);
        expect(now.lines.reduce((s, l) => s + l.quantity, 0)).toBe(o.kind === 'changed' ? 4 : 1);
      }
      await f.expectConservation();
    });
  });

  describe('changes racing the other operations on the same reservation', () => {
    it('a release waiting on the row lock of a change of lines returns the changed lines', async () => {
      const { channel, sku } = await f.channel({ A: { L1: 10 } });
      const r = await f.created({ channel, lines: [{ sku: sku('A'), quantity: 1 }], ttlSeconds: 600 });
      // What changeLines does, held open: the row lock, the journaled hold of 2 more, the new line.
      const sql = await f.db.pool.connect();
      let release: Promise<unknown> | undefined;
      try {
        await sql.query('BEGIN');
        await sql.query('SELECT 1 FROM reservations WHERE id = $1 FOR UPDATE', [r.id]);
        await move(sql, {
          kind: 'reserve',
          sku: sku('A'),
          location: 'L1',
          deltas: { reserved: 2 },
          sourceSystem: 'platform',
          reservationId: r.id,
        });
        await sql.query('UPDATE reservation_lines SET quantity = 3 WHERE reservation_id = $1', [r.id]);
        await sql.query('UPDATE reservations SET updated_at = now() WHERE id = $1', [r.id]);
        release = f.reservations.release(r.id, channel);
        await new Promise((resolve) => setTimeout(resolve, 300));
        await sql.query('COMMIT');
      } finally {
        sql.release();
      }
      const released = (await release) as { reservation: ReservationView };
      expect(released.reservation.lines).toEqual([{ sku: sku('A'), quantity: 3, location: 'L1' }]);
      expect(await f.reserved(sku('A'), 'L1')).toBe(0);
      await f.expectConservation();
    });

    it('release, confirm and expiry that wait for a change of lines act on the changed lines', async () => {
      const { channel, sku } = await f.channel({ A: { L1: 1000 }, B: { L1: 1000 } });
      const carts = await Promise.all(
        Array.from({ length: 60 }, () =>
          f.created({ channel, lines: [{ sku: sku('A'), quantity: 1 }], ttlSeconds: 600 }),
        ),
      );
      const grow = (id: string) =>
        f.reservations.changeLines({
          id,
          channel,
          lines: [
            { sku: sku('A'), quantity: 3 },
            { sku: sku('B'), quantity: 2 },
          ],
        });
      const outcomes = await Promise.allSettled(
        carts.flatMap((c, i) => {
          const other =
            i % 3 === 0
              ? f.reservations.release(c.id, channel)
              : i % 3 === 1
                ? f.reservations.confirm(c.id, channel)
                : f.db
                    .query(`UPDATE reservations SET expires_at = now() WHERE id = $1`, [c.id])
                    .then(() => f.reservations.expireDue(1000));
          return i % 2 === 0 ? [grow(c.id), other] : [other, grow(c.id)];
        }),
      );
      const failures = outcomes.flatMap((o) =>
        o.status === 'rejected' ? [(o.reason as { code?: string }).code ?? String(o.reason)] : [],
      );
      expect(failures.filter((code) => code !== 'reservation-not-active')).toEqual([]);
      await f.reservations.expireDue(1000);
      // Reserved equals the lines of active and confirmed reservations: nothing was returned twice or kept.
      await f.expectConservation();
    });
  });
});
