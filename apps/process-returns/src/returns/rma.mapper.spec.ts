import { toDomain, toView } from './rma.mapper';

describe('rma mapper', () => {
  const row = {
    id: 'r-1',
    order_id: 'o-1',
    channel: 'web',
    source: 'oms',
    external_ref: null,
    reason: 'wrong size',
    status: 'received' as const,
    location: 'WH-1',
    created_at: new Date('2025-01-02T03:04:05.000Z'),
    updated_at: new Date('2025-01-02T03:05:00.000Z'),
    lines: [
      { sku: 'B', quantity: 1, received: 0, resell: 0, damaged: 0, destroyed: 0 },
      { sku: 'A', quantity: 3, received: 3, resell: 0, damaged: 0, destroyed: 0 },
    ],
  };

  it('maps a row to the view with camelCase fields, ISO timestamps and lines in SKU order', () => {
    expect(toView(toDomain(row))).toEqual({
      id: 'r-1',
      orderId: 'o-1',
      channel: 'web',
      source: 'oms',
      externalRef: null,
      reason: 'wrong size',
      status: 'received',
      location: 'WH-1',
      lines: [
        { sku: 'A', quantity: 3, received: 3, resell: 0, damaged: 0, destroyed: 0 },
        { sku: 'B', quantity: 1, received: 0, resell: 0, damaged: 0, destroyed: 0 },
      ],
      createdAt: '2025-01-02T03:04:05.000Z',
      updatedAt: '2025-01-02T03:05:00.000Z',
    });
  });

  it('turns counts the driver gives as strings into numbers', () => {
    const fromStrings = {
      ...row,
      lines: [{ sku: 'A', quantity: '3', received: '3', resell: '2', damaged: '1', destroyed: '0' }],
    } as unknown as typeof row;
    expect(toDomain(fromStrings).lines).toEqual([
      { sku: 'A', quantity: 3, received: 3, resell: 2, damaged: 1, destroyed: 0 },
    ]);
  });
});
