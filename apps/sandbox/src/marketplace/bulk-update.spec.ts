import { readBulkUpdate } from './bulk-update';

const request = (sku: string, quantity: unknown) => ({ sku, shipToLocationAvailability: { quantity } });

describe('readBulkUpdate', () => {
  it('reads each request to a SKU and its new quantity, in order', () => {
    expect(readBulkUpdate({ requests: [request('A-1', 3), request('B-2', 0)] })).toEqual({
      entries: [
        { sku: 'A-1', quantity: 3 },
        { sku: 'B-2', quantity: 0 },
      ],
    });
  });

  it('refuses the whole call past 25 requests, or with none, in eBay error 25709', () => {
    const many = { requests: Array.from({ length: 26 }, (_, i) => request(`S-${i}`, 1)) };
    expect(readBulkUpdate(many)).toEqual({
      refused: expect.objectContaining({
        errorId: 25709,
        domain: 'API_INVENTORY',
        category: 'REQUEST',
        message: expect.stringContaining('this one has 26'),
      }),
    });
    expect(readBulkUpdate({ requests: [] })).toEqual({
      refused: expect.objectContaining({ errorId: 25709 }),
    });
    expect(readBulkUpdate({ requests: 'A-1' })).toEqual({
      refused: expect.objectContaining({ errorId: 25709 }),
    });
    expect(readBulkUpdate(null)).toEqual({ refused: expect.objectContaining({ errorId: 25709 }) });
  });

  it('takes exactly 25', () => {
    const full = { requests: Array.from({ length: 25 }, (_, i) => request(`S-${i}`, i)) };
    expect((readBulkUpdate(full) as { entries: unknown[] }).entries).toHaveLength(25);
  });

  it('refuses a SKU named twice (25734)', () => {
    expect(readBulkUpdate({ requests: [request('A-1', 1), request('A-1', 2)] })).toEqual({
      refused: expect.objectContaining({ errorId: 25734, parameters: [{ name: 'sku', value: 'A-1' }] }),
    });
  });

  it('answers a malformed request in its place and keeps the others', () => {
    const read = readBulkUpdate({
      requests: [
        request('A-1', 5),
        request('B-2', -1),
        request('C-3', 1.5),
        { sku: 'D-4' },
        'nonsense',
        { ...request('E-5', 1), offers: [{ offerId: '1', availableQuantity: 1 }] },
        request('F'.repeat(51), 1),
      ],
    }) as { entries: { sku?: string; quantity?: number; errors?: { errorId: number; message: string }[] }[] };
    expect(read.entries[0]).toEqual({ sku: 'A-1', quantity: 5 });
    expect(read.entries.slice(1).map((e) => [e.sku, e.errors?.[0]?.errorId])).toEqual([
      ['B-2', 25709],
      ['C-3', 25709],
      ['D-4', 25709],
      [undefined, 25709],
      ['E-5', 25709],
      ['F'.repeat(51), 25709],
    ]);
    expect(read.entries[1].errors?.[0].message).toContain('shipToLocationAvailability.quantity');
    expect(read.entries[3].errors?.[0].message).toContain('shipToLocationAvailability');
    expect(read.entries[5].errors?.[0].message).toContain('keeps no offers');
  });
});
