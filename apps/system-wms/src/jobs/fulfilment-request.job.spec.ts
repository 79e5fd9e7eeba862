import { randomUUID } from 'node:crypto';
import type { FulfilmentRequestedEvent, FulfilmentRequestedPayload } from '@stockbridge/canonical';
import { deterministicEventId, envelope, PermanentError } from '@stockbridge/messaging';
import { fulfilmentReport, fulfilmentRequested } from './fulfilment-request.job';

const request = (payload: Partial<FulfilmentRequestedPayload> = {}): FulfilmentRequestedEvent =>
  envelope(
    'fulfilment.requested',
    {
      action: 'release',
      fulfilmentOrderId: randomUUID(),
      orderId: randomUUID(),
      channel: 'web',
      location: 'WH-1',
      lines: [{ sku: 'A', quantity: 2 }],
      shipTo: null,
      ...payload,
    },
    { source: 'process-allocation', partitionKey: 'A', correlationId: 'corr-1' },
  );

describe('fulfilmentReport', () => {
  it('reports under an id derived from the request, so a retry publishes the very same event', () => {
    const r = request();
    const first = fulfilmentReport('wms', r, 'released');
    expect(first.id).toBe(deterministicEventId(`wms/fulfilment/${r.id}`));
    expect(fulfilmentReport('wms', r, 'released')).toEqual({ ...first, occurredAt: expect.any(String) });
    expect(first).toMatchObject({
      type: 'fulfilment.reported',
      partitionKey: r.payload.fulfilmentOrderId,
      correlationId: 'corr-1',
      causationId: r.id,
      payload: {
        kind: 'released',
        fulfilmentOrderId: r.payload.fulfilmentOrderId,
        lines: [],
        sourceEventId: r.id,
        detail: null,
      },
    });
  });

  it('says why a cancellation was refused', () => {
    const report = fulfilmentReport('wms', request({ action: 'cancel' }), 'cancel-refused');
    expect(report.payload.kind).toBe('cancel-refused');
    expect(report.payload.detail).toMatch(/already shipped/);
  });
});

describe('fulfilmentRequested', () => {
  it('takes a release with lines and a cancel without any', () => {
    expect(fulfilmentRequested(request()).payload.action).toBe('release');
    expect(fulfilmentRequested(request({ action: 'cancel', lines: [] })).payload.action).toBe('cancel');
  });

  it('refuses for good what can never be carried out', () => {
    const bad = [
      { type: 'reservation.confirmed', id: 'x', payload: {} },
      request({ lines: [] }),
      request({ lines: [{ sku: 'A', quantity: 0 }] }),
      request({ fulfilmentOrderId: '' }),
      request({ action: 'ship' as 'release' }),
    ];
    for (const data of bad) {
      expect(() => fulfilmentRequested(data)).toThrow(PermanentError);
    }
  });
});
