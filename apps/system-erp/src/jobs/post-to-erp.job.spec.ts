import type { PostingRequestedPayload } from '@stockbridge/canonical';
import { deterministicEventId, envelope, PermanentError } from '@stockbridge/messaging';
import { erpAmount } from '../adapters/sandbox-erp.adapter';
import { acknowledgmentId, postingRequested } from './post-to-erp.job';

const posting = (payload: Partial<PostingRequestedPayload> = {}) =>
  envelope(
    'finance.posting-requested',
    {
      postingKey: 'revenue:ord-1',
      kind: 'revenue',
      channel: 'web',
      amountCents: 5000,
      currency: 'EUR',
      businessDate: '2025-11-28',
      reference: 'ord-1',
      reasonCode: null,
      lines: [{ sku: 'A', location: null, quantity: 2, amountCents: 5000 }],
      ...payload,
    },
    { source: 'process-allocation', partitionKey: 'ord-1' },
  );

describe('postingRequested', () => {
  it('takes a posting request as it is', () => {
    const event = posting();
    expect(postingRequested(event)).toBe(event);
  });

  it('refuses for good a request the ERP could never book', () => {
    for (const data of [
      null,
      { ...posting(), type: 'reservation.confirmed' },
      posting({ postingKey: '' }),
      posting({ kind: 'bonus' as 'revenue' }),
      posting({ amountCents: -1 }),
      posting({ amountCents: 12.5 }),
      posting({ lines: [{ sku: 'A', location: null, quantity: 1.5, amountCents: 1 }] }),
    ]) {
      expect(() => postingRequested(data)).toThrow(PermanentError);
    }
  });
});

describe('acknowledgmentId', () => {
  it('is one id per posting key, whichever event asked for it', () => {
    expect(acknowledgmentId('revenue:ord-1')).toBe(deterministicEventId('erp/posting/revenue:ord-1'));
    expect(acknowledgmentId('revenue:ord-1')).not.toBe(acknowledgmentId('cost-of-goods:ord-1'));
  });
});

describe('erpAmount', () => {
  it('writes cents as currency units with two decimals', () => {
    expect(erpAmount(1999)).toBe('19.99');
    expect(erpAmount(5)).toBe('0.05');
    expect(erpAmount(120000)).toBe('1200.00');
    expect(erpAmount(-350)).toBe('-3.50');
    expect(erpAmount(0)).toBe('0.00');
  });
});
