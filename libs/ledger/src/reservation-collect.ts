import type { Db } from './db';
import { lockOrder, move } from './journal';
import { lockReservation, notActive, skusOf, toView, type TransitionOutcome } from './reservation-records';

/**
 * active → collected (click and collect: the customer took the units away at the store). In one transaction
 * with the reservation's row locked: per line the units leave the location, out of reserved and on hand,
 * journaled as `collect`. Collecting a collected reservation answers it unchanged and moves nothing; a
 * released, expired (or past its expiry, not yet swept) or confirmed one is `reservation-not-active`.
 */
export async function collect(
  db: Db,
  id: string,
  channel: string,
  correlationId: string | null = null,
): Promise<TransitionOutcome> {
  return db.tx(async (sql) => {
    const current = await lockReservation(sql, id, channel);
    if (current.status === 'collected')
      return { reservation: toView(current), changed: false, changedSkus: [] };
    if (current.status !== 'active' || current.due) throw notActive(current, 'collect');
    await sql.query(
      `UPDATE reservations SET status = 'collected', updated_at = now(), ended_at = now() WHERE id = $1`,
      [id],
    );
    for (const l of lockOrder(current.lines)) {
      const moved = await move(sql, {
        kind: 'collect',
        sku: l.sku,
        location: l.location,
        deltas: { reserved: -l.quantity, onHand: -l.quantity },
        sourceSystem: 'platform',
        reservationId: id,
        correlationId,
        observation: true,
      });
      if (!moved) throw new Error(`Stock level ${l.sku}@${l.location} of reservation ${id} is missing`);
    }
    return {
      reservation: toView({ ...current, status: 'collected' }),
      changed: true,
      changedSkus: skusOf(current),
    };
  });
}
