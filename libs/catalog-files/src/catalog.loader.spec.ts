import { catalogLoadId, catalogStockMovements, channelPolicyOf } from './catalog.loader';

describe('channelPolicyOf', () => {
  it('fills missing policy fields with the default policy', () => {
    expect(channelPolicyOf({ bufferPercent: 10 })).toEqual({
      bufferPercent: 10,
      holdback: 0,
      maxExposed: null,
      stalenessSeconds: null,
      staleMode: 'buffered',
      maxTtlSeconds: 3600,
      maxHeldUnitsPerClient: null,
    });
    expect(channelPolicyOf(undefined).bufferPercent).toBe(0);
    expect(channelPolicyOf({ maxTtlSeconds: 900, maxHeldUnitsPerClient: 20 })).toMatchObject({
      maxTtlSeconds: 900,
      maxHeldUnitsPerClient: 20,
    });
  });
});

describe('catalogStockMovements', () => {
  it('turns each stock row into a count, and a safety-stock setting when given, with ids derived from the load id', () => {
    const cmds = catalogStockMovements(
      [
        { sku: 'SKU-2', location: 'WH-A', onHand: 7 },
        { sku: 'SKU-1', location: 'WH-A', onHand: 10, safetyStock: 2 },
      ],
      'abc',
    );
    expect(cmds.map((c) => [c.kind, c.sku, c.quantity, c.sourceSystem, c.sourceEventId])).toEqual([
      ['count', 'SKU-1', 10, 'catalog', 'abc:SKU-1@WH-A:on-hand'],
      ['set-safety-stock', 'SKU-1', 2, 'catalog', 'abc:SKU-1@WH-A:safety-stock'],
      ['count', 'SKU-2', 7, 'catalog', 'abc:SKU-2@WH-A:on-hand'],
    ]);
  });
});

describe('catalogLoadId', () => {
  it('is the same for the same content and differs when any part changes', () => {
    expect(catalogLoadId('a', 'b')).toBe(catalogLoadId('a', 'b'));
    expect(catalogLoadId('a', 'b')).not.toBe(catalogLoadId('ab', ''));
    expect(catalogLoadId('x')).toMatch(/^[0-9a-f]{64}$/);
  });
});
