import { deterministicEventId } from '@stockbridge/messaging';
import { collectStatusChanges } from '../adapters/sandbox-oms.adapter';
import type { OmsStatusChange } from '../oms.port';
import {
  nextCursor,
  overlapped,
  POLL_OVERLAP_MS,
  statusReportedEvent,
  statusReportedEvents,
} from './poll-status.job';

const REF = '3f0e2a52-8a41-4c1e-9b7a-2d6c1f0e9a11';
const change = (over: Partial<OmsStatusChange> = {}): OmsStatusChange => ({
  orderRef: REF,
  status: 'DELIVERED',
  changedAt: '2025-03-01T10:00:00.123Z',
  initial: false,
  ...over,
});

describe('OMS status changes → order.status-reported', () => {
  it('maps a change to an event for process-allocation, in the OMS’s words', () => {
    const e = statusReportedEvent(change());
    expect(e).toMatchObject({
      type: 'order.status-reported',
      source: 'system-oms',
      partitionKey: REF,
      occurredAt: '2025-03-01T10:00:00.123Z',
      payload: {
        orderId: REF,
        source: 'oms',
        nativeStatus: 'DELIVERED',
        sourceEventId: `${REF}:DELIVERED:2025-03-01T10:00:00.123Z`,
      },
    });
    expect(e.id).toBe(deterministicEventId(`oms/status/${REF}/DELIVERED/2025-03-01T10:00:00.123Z`));
    expect(e.correlationId).toBe(e.id);
  });

  it('gives the same change the same event (a re-poll is the same job), and another change another id', () => {
    expect(statusReportedEvent(change())).toEqual(statusReportedEvent(change()));
    const ids = new Set(
      [
        change(),
        change({ status: 'SHIPPED' }),
        change({ changedAt: '2025-03-01T10:00:00.124Z' }),
        change({ orderRef: '0b9c4a77-1111-4c1e-9b7a-2d6c1f0e9a11' }),
      ].map((c) => statusReportedEvent(c).id),
    );
    expect(ids.size).toBe(4);
  });

  it('skips orders that are not ours and orders still as we created them', () => {
    const events = statusReportedEvents([
      change({ orderRef: 'web-000123' }),
      change({ status: 'NEW', initial: true }),
      change({ status: 'CANCELLED' }),
    ]);
    expect(events.map((e) => e.payload.nativeStatus)).toEqual(['CANCELLED']);
  });

  it('reads from a little before the cursor, so a change committed late is not missed', () => {
    expect(POLL_OVERLAP_MS).toBeGreaterThan(0);
    expect(overlapped('2025-03-01T09:00:05.000Z')).toBe(
      new Date(Date.parse('2025-03-01T09:00:05.000Z') - POLL_OVERLAP_MS).toISOString(),
    );
  });

  it('moves the cursor to the latest change seen, never back', () => {
    const cursor = '2025-03-01T09:00:00.000Z';
    expect(nextCursor(cursor, [])).toBe(cursor);
    expect(
      nextCursor(cursor, [
        change({ changedAt: '2025-03-01T09:30:00.000Z' }),
        change({ changedAt: '2025-03-01T09:45:00.000Z', orderRef: 'not-ours' }),
      ]),
    ).toBe('2025-03-01T09:45:00.000Z');
    expect(nextCursor(cursor, [change({ changedAt: '2025-03-01T08:00:00.000Z' })])).toBe(cursor);
  });
});

describe('paging the OMS by change time', () => {
  type Row = { orderRef: string; status: string; updatedAt: string };
  /** The sandbox's filter: at or after `from`, by change time then orderRef. */
  const oms = (rows: Row[], pageSize: number) => {
    const calls: [string, number][] = [];
    const fetch = async (from: string, page: number) => {
      calls.push([from, page]);
      const sorted = rows
        .filter((r) => r.updatedAt >= from)
        .sort((a, b) => a.updatedAt.localeCompare(b.updatedAt) || a.orderRef.localeCompare(b.orderRef));
      return sorted.slice((page - 1) * pageSize, page * pageSize);
    };
    return { calls, fetch };
  };
  const at = (s: number) => new Date(Date.UTC(2025, 2, 1, 10, 0, s)).toISOString();

  it('continues from the last change time of each page and reports every order once', async () => {
    const rows = Array.from({ length: 7 }, (_, i) => ({
      orderRef: `r${i}`,
      status: 'SHIPPED',
      updatedAt: at(i),
    }));
    const { calls, fetch } = oms(rows, 3);
    const out = await collectStatusChanges(at(0), 100, 3, fetch);
    expect(out.map((c) => c.orderRef)).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6']);
    expect(calls).toEqual([
      [at(0), 1],
      [at(2), 1],
      [at(4), 1],
      [at(6), 1],
    ]);
  });

  it('takes the next page of one instant when a whole page shares it', async () => {
    const rows = [
      ...Array.from({ length: 5 }, (_, i) => ({ orderRef: `r${i}`, status: 'SHIPPED', updatedAt: at(1) })),
      { orderRef: 'r9', status: 'NEW', updatedAt: at(2) },
    ];
    const { fetch } = oms(rows, 2);
    const out = await collectStatusChanges(at(0), 100, 2, fetch);
    expect(out.map((c) => c.orderRef)).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r9']);
    expect(out.at(-1)).toMatchObject({ status: 'NEW', initial: true });
  });

  it('stops at about `max` changes; the rest is for the next poll', async () => {
    const rows = Array.from({ length: 10 }, (_, i) => ({
      orderRef: `r${i}`,
      status: 'SHIPPED',
      updatedAt: at(i),
    }));
    const { fetch } = oms(rows, 3);
    const out = await collectStatusChanges(at(0), 4, 3, fetch);
    expect(out.length).toBeGreaterThanOrEqual(4);
    expect(out.length).toBeLessThan(10);
  });
});
