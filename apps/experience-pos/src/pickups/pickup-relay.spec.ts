import { problem, ProblemError } from '@stockbridge/app-platform';
import { asPickup, checkPickupId, type ProcessReservation, refusal } from './pickup-relay';

const reservation = (over: Partial<ProcessReservation> = {}): ProcessReservation => ({
  id: '0b7d6c1e-5c8a-4a39-9d55-2f7f3f0c1a11',
  status: 'active',
  expiresAt: '2026-01-08T00:00:00.000Z',
  reference: 'order-1',
  lines: [{ sku: 'SKU-1', quantity: 2, location: 'STORE-NYC' }],
  ...over,
});

function thrown(fn: () => unknown): ProblemError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ProblemError) return err;
    throw err;
  }
  throw new Error('nothing thrown');
}

describe('pickups as the POS sees them', () => {
  it('names each reservation status in pickup words', () => {
    const statuses = (['active', 'collected', 'released', 'expired'] as const).map(
      (status) => asPickup(reservation({ status }), 'STORE-NYC')?.status,
    );
    expect(statuses).toEqual(['reserved', 'collected', 'cancelled', 'lapsed']);
    expect(asPickup(reservation(), 'STORE-NYC')).toEqual({
      id: '0b7d6c1e-5c8a-4a39-9d55-2f7f3f0c1a11',
      store: 'STORE-NYC',
      status: 'reserved',
      pickupBy: '2026-01-08T00:00:00.000Z',
      reference: 'order-1',
      lines: [{ sku: 'SKU-1', quantity: 2 }],
    });
  });

  it('is no pickup of a store when a line is elsewhere, or when it was confirmed as an order', () => {
    expect(asPickup(reservation(), 'STORE-BOS')).toBeUndefined();
    const split = reservation({
      lines: [
        { sku: 'SKU-1', quantity: 1, location: 'STORE-NYC' },
        { sku: 'SKU-2', quantity: 1, location: 'WH-EAST' },
      ],
    });
    expect(asPickup(split, 'STORE-NYC')).toBeUndefined();
    expect(asPickup(reservation({ status: 'confirmed' }), 'STORE-NYC')).toBeUndefined();
  });

  it('answers an id that is not a UUID as an unknown pickup, and lower-cases one that is', () => {
    expect(thrown(() => checkPickupId('nope')).problem).toMatchObject({
      status: 404,
      type: expect.stringMatching(/reservation-not-found$/),
    });
    expect(checkPickupId('0B7D6C1E-5C8A-4A39-9D55-2F7F3F0C1A11')).toBe(
      '0b7d6c1e-5c8a-4a39-9d55-2f7f3f0c1a11',
    );
  });

  it('words a pickup that can no longer change in pickup terms, without the reservation status', () => {
    const p = thrown(() =>
      refusal(
        409,
        problem(409, 'reservation-not-active', 'Reservation x is expired.', { reservationStatus: 'expired' }),
        'x',
      ),
    ).problem;
    expect(p).toMatchObject({
      status: 409,
      pickupStatus: 'lapsed',
      detail: 'Pickup "x" is lapsed: it can no longer change.',
    });
    expect(p.reservationStatus).toBeUndefined();
  });

  it('keeps a stock refusal replayable, relays other client errors and turns the rest into 502', () => {
    const short = thrown(() =>
      refusal(409, problem(409, 'insufficient-stock', 'Not enough', { shortages: [{ sku: 'A' }] })),
    );
    expect(short.replayable).toBe(true);
    expect(short.problem.shortages).toEqual([{ sku: 'A' }]);
    const ttl = thrown(() =>
      refusal(422, problem(422, 'ttl-exceeds-maximum', 'too long', { maxTtlSeconds: 3600 })),
    ).problem;
    expect(ttl).toMatchObject({
      status: 422,
      maxTtlSeconds: 3600,
      detail: expect.stringContaining('3600 seconds'),
    });
    expect(thrown(() => refusal(422, problem(422, 'unknown-sku', 'Unknown SKU "Z".'))).problem.detail).toBe(
      'Unknown SKU "Z".',
    );
    expect(thrown(() => refusal(401, problem(401, 'unauthorized', 'bad token'))).problem.status).toBe(502);
    expect(thrown(() => refusal(200, {} as never)).problem.status).toBe(502);
  });
});
