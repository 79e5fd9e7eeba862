import { LedgerFixture } from '../../../test/process/ledger-fixture';

/** The channel limits on reservations (maximum TTL, units held per client), against the real database. */
describe('reservation limits', () => {
  let f: LedgerFixture;

  beforeAll(async () => {
    f = await LedgerFixture.start('ledgerlimits');
  });

  afterAll(async () => {
    await f?.stop();
  });

  describe('maximum TTL on creation', () => {
    it('refuses a requested TTL beyond the channel maximum and holds nothing', async () => {
      const { channel, sku } = await f.channel({ A: { L1: 5 } }, { maxTtlSeconds: 600 });
      await expect(
        f.reservations.reserve({ channel, lines: [{ sku: sku('A'), quantity: 1 }], ttlSeconds: 601 }),
      ).rejects.toMatchObject({ code: 'ttl-exceeds-maximum', details: { maxTtlSeconds: 600 } });
      expect(await f.reserved(sku('A'), 'L1')).toBe(0);
      const ok = await f.created({ channel, lines: [{ sku: sku('A'), quantity: 1 }], ttlSeconds: 600 });
      expect(Date.parse(ok.expiresAt) - Date.parse(ok.createdAt)).toBe(600_000);
    });

    it('lowers the platform default TTL to the channel maximum', async () => {
      const { channel, sku } = await f.channel({ A: { L1: 5 } }, { maxTtlSeconds: 300 });
      const r = await f.created({
        channel,
        lines: [{ sku: sku('A'), quantity: 1 }],
        ttlSeconds: 900,
        ttlIsDefault: true,
      });
      expect(Date.parse(r.expiresAt) - Date.parse(r.createdAt)).toBe(300_000);
    });
  });

  describe('units held per client', () => {
    it('never lets hundreds of parallel holds of one client pass its limit; another client is unaffected', async () => {
      const { channel, sku } = await f.channel({ A: { L1: 1000 } }, { maxHeldUnitsPerClient: 25 });
      const hold = (holder: string) =>
        f.reservations
          .reserve({ channel, lines: [{ sku: sku('A'), quantity: 2 }], ttlSeconds: 600, holder })
          .then(
            (o) => o.kind,
            (err: { code?: string; details?: Record<string, unknown> }) => {
              expect(err).toMatchObject({
                code: 'hold-limit-exceeded',
                details: { maxHeldUnits: 25, requestedUnits: 2 },
              });
              return err.code;
            },
          );
      const burst = await Promise.all(Array.from({ length: 300 }, () => hold('client:greedy')));
      expect(burst.filter((s) => s === 'held')).toHaveLength(12);
      expect(burst.filter((s) => s === 'hold-limit-exceeded')).toHaveLength(288);
      const held = await f.db.query<{ units: string }>(
        `SELECT sum(l.quantity) AS units FROM reservation_lines l JOIN reservations r ON r.id = l.reservation_id
         WHERE r.channel = $1 AND r.holder = 'client:greedy' AND r.status = 'active'`,
        [channel],
      );
      expect(Number(held.rows[0].units)).toBe(24);
      expect(await f.reserved(sku('A'), 'L1')).toBe(24);
      // Another client, and internal callers (no holder), hold as usual.
      expect(await hold('client:other')).toBe('held');
      expect(
        (await f.reservations.reserve({ channel, lines: [{ sku: sku('A'), quantity: 50 }], ttlSeconds: 60 }))
          .kind,
      ).toBe('held');
      await f.expectConservation();
    });

    it('counts released, confirmed and expired reservations out, and limits growing lines too', async () => {
      const { channel, sku } = await f.channel({ A: { L1: 100 } }, { maxHeldUnitsPerClient: 10 });
      const holder = 'client:cart';
      const a = await f.created({
        channel,
        lines: [{ sku: sku('A'), quantity: 6 }],
        ttlSeconds: 600,
        holder,
      });
      const b = await f.created({
        channel,
        lines: [{ sku: sku('A'), quantity: 4 }],
        ttlSeconds: 600,
        holder,
      });
      await expect(
        f.reservations.reserve({ channel, lines: [{ sku: sku('A'), quantity: 1 }], ttlSeconds: 600, holder }),
      ).rejects.toMatchObject({
        code: 'hold-limit-exceeded',
        details: { maxHeldUnits: 10, heldUnits: 10, requestedUnits: 1 },
      });
      await expect(
        f.reservations.changeLines({ id: b.id, channel, lines: [{ sku: sku('A'), quantity: 5 }] }),
      ).rejects.toMatchObject({
        code: 'hold-limit-exceeded',
        details: { maxHeldUnits: 10, heldUnits: 10, requestedUnits: 1 },
      });
      // Shrinking is always allowed.
      expect(
        (await f.reservations.changeLines({ id: b.id, channel, lines: [{ sku: sku('A'), quantity: 2 }] }))
          .kind,
      ).toBe('changed');
      await f.reservations.confirm(a.id, channel);
      expect(
        (await f.reservations.changeLines({ id: b.id, channel, lines: [{ sku: sku('A'), quantity: 10 }] }))
          .kind,
      ).toBe('changed');
      await f.db.query(`UPDATE reservations SET expires_at = now() - interval '1 second' WHERE id = $1`, [
        b.id,
      ]);
      await f.created({ channel, lines: [{ sku: sku('A'), quantity: 10 }], ttlSeconds: 600, holder });
      await f.expectConservation();
    });
  });
});
