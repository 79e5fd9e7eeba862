import { deterministicEventId } from './event-id';
import { envelope, reservationConfirmed } from './envelope';
import { PermanentError } from './errors';
import { withCorrelation } from './correlation';
import { jobOptions, QUEUE_NAMES, QUEUES, ROUTES, workerOptions } from './queues';
import { redisOptionsFromUrl } from './redis-options';

describe('queue registry', () => {
  it('gives every queue explicit attempts, exponential backoff with jitter and bounded retention', () => {
    for (const name of QUEUE_NAMES) {
      const o = jobOptions(name);
      expect(o.attempts).toBeGreaterThan(1);
      expect(o.backoff).toMatchObject({ type: 'exponential', jitter: expect.any(Number) });
      expect(o.removeOnComplete).toMatchObject({ age: expect.any(Number), count: expect.any(Number) });
      expect(o.removeOnFail).toMatchObject({ age: expect.any(Number), count: expect.any(Number) });
      expect(workerOptions(name).concurrency).toBeGreaterThan(0);
    }
  });

  it('routes every event type to queues that carry it', () => {
    for (const [type, queues] of Object.entries(ROUTES)) {
      for (const q of queues) expect(QUEUES[q].carries).toBe(type);
    }
  });

  it('takes a stalled job up again within 20 s, with a lock longer than a backend call', () => {
    for (const name of QUEUE_NAMES) {
      const w = workerOptions(name);
      expect(w.lockDuration + w.stalledInterval).toBeLessThanOrEqual(20_000);
      expect(w.lockDuration).toBeGreaterThan(3 * 5_000 - 1);
    }
  });

  it('rate-limits the queues toward backends', () => {
    expect(workerOptions('erp.commitments').limiter).toEqual({ max: 50, duration: 1000 });
  });
});

describe('event ids', () => {
  it('derives the same UUID from the same name, and another from another name', () => {
    const a = deterministicEventId('wms/e-1');
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(deterministicEventId('wms/e-1')).toBe(a);
    expect(deterministicEventId('wms/e-2')).not.toBe(a);
  });
});

describe('envelope', () => {
  const payload = {
    reservationId: 'r',
    channel: 'web',
    reference: null,
    lines: [],
    confirmedAt: '2026-01-01T00:00:00.000Z',
  };

  it('carries the correlation id in scope', () => {
    const e = withCorrelation('req-42', () =>
      envelope('reservation.confirmed', payload, { source: 'test', partitionKey: 'r' }),
    );
    expect(e).toMatchObject({
      type: 'reservation.confirmed',
      version: 1,
      correlationId: 'req-42',
      causationId: null,
      partitionKey: 'r',
    });
  });

  it('starts a new chain with its own id when no correlation id is in scope', () => {
    const e = envelope('reservation.confirmed', payload, { source: 'test', partitionKey: 'r' });
    expect(e.correlationId).toBe(e.id);
  });
});

describe('redisOptionsFromUrl', () => {
  it('reads host, port, credentials, database and TLS', () => {
    expect(redisOptionsFromUrl('rediss://u:p%40ss@cache.example:6380/2')).toEqual({
      host: 'cache.example',
      port: 6380,
      username: 'u',
      password: 'p@ss',
      db: 2,
      tls: {},
    });
    expect(redisOptionsFromUrl('redis://127.0.0.1')).toEqual({ host: '127.0.0.1', port: 6379, db: 0 });
  });
});

describe('reservationConfirmed', () => {
  it('accepts a reservation.confirmed event with lines and refuses anything else as a permanent validation error', () => {
    const ok = {
      id: 'e',
      type: 'reservation.confirmed',
      payload: { reservationId: 'r', lines: [{ sku: 'A', location: 'W', quantity: 1 }] },
    };
    expect(reservationConfirmed(ok)).toBe(ok);
    for (const bad of [null, { ...ok, type: 'inventory.stock-moved' }, { ...ok, payload: { lines: [] } }]) {
      expect(() => reservationConfirmed(bad)).toThrow(PermanentError);
    }
  });
});
