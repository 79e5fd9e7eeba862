import type { TestPlatform } from './platform';

/**
 * The ledger's invariants, checked against the database: every bucket ≥ 0, holds within on hand, the
 * journal reproduces every level, reserved equals the units of active and confirmed reservations, and every
 * oversold level has been reported to operators (a `negative-stock` stock exception was opened for it).
 */
export async function assertLedgerInvariants(platform: TestPlatform): Promise<void> {
  const levels = await platform.movements.levels();
  const replayed = await platform.movements.replayJournal();
  for (const l of levels) {
    for (const v of [
      l.onHand,
      l.reserved,
      l.allocated,
      l.damaged,
      l.qualityControl,
      l.incoming,
      l.safetyStock,
      l.oversold,
    ])
      expect(v).toBeGreaterThanOrEqual(0);
    expect(l.reserved + l.allocated + l.damaged + l.qualityControl).toBeLessThanOrEqual(l.onHand);
    const fromJournal = replayed.get(`${l.sku}@${l.location}`) ?? {
      onHand: 0,
      reserved: 0,
      allocated: 0,
      damaged: 0,
      qualityControl: 0,
      incoming: 0,
      safetyStock: 0,
      oversold: 0,
    };
    expect({
      sku: l.sku,
      location: l.location,
      onHand: l.onHand,
      reserved: l.reserved,
      allocated: l.allocated,
      damaged: l.damaged,
      qualityControl: l.qualityControl,
      incoming: l.incoming,
      safetyStock: l.safetyStock,
      oversold: l.oversold,
    }).toEqual({
      sku: l.sku,
      location: l.location,
      ...fromJournal,
    });
  }
  // Reserved: units of active reservations and of confirmed ones not yet turned into an order.
  const held = await platform.db.query<{ sku: string; location: string; units: string }>(
    `SELECT l.sku, l.location, sum(l.quantity) AS units FROM reservation_lines l JOIN reservations r ON r.id = l.reservation_id
     WHERE r.status = 'active' OR (r.status = 'confirmed' AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.id = r.id))
     GROUP BY l.sku, l.location`,
  );
  const heldBy = new Map(held.rows.map((r) => [`${r.sku}@${r.location}`, Number(r.units)]));
  // Allocated: the open units of fulfilment orders (neither shipped, short-picked nor cancelled).
  const open = await platform.db.query<{ sku: string; location: string; units: string }>(
    `SELECT l.sku, f.location, sum(l.quantity - l.shipped - l.short_picked - l.cancelled) AS units
     FROM fulfilment_lines l JOIN fulfilment_orders f ON f.id = l.fulfilment_order_id GROUP BY l.sku, f.location`,
  );
  const allocatedBy = new Map(open.rows.map((r) => [`${r.sku}@${r.location}`, Number(r.units)]));
  for (const l of levels)
    expect({ at: `${l.sku}@${l.location}`, reserved: l.reserved, allocated: l.allocated }).toEqual({
      at: `${l.sku}@${l.location}`,
      reserved: heldBy.get(`${l.sku}@${l.location}`) ?? 0,
      allocated: allocatedBy.get(`${l.sku}@${l.location}`) ?? 0,
    });
  // Oversold: never without the negative-stock exception that told operators (open, or resolved by one).
  const reported = await platform.db.query<{ sku: string; location: string }>(
    `SELECT DISTINCT sku, location FROM stock_exceptions WHERE kind = 'negative-stock'`,
  );
  const reportedAt = new Set(reported.rows.map((r) => `${r.sku}@${r.location}`));
  for (const l of levels.filter((x) => x.oversold > 0))
    expect({ at: `${l.sku}@${l.location}`, reported: reportedAt.has(`${l.sku}@${l.location}`) }).toEqual({
      at: `${l.sku}@${l.location}`,
      reported: true,
    });
}
