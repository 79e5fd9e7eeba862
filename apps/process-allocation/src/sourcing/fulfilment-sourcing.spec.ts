import { type LocationCandidate, NearestSingleLocationSourcing } from './fulfilment-sourcing';

const sourcing = new NearestSingleLocationSourcing();

function loc(
  location: string,
  stock: Record<string, number>,
  extra: Partial<Omit<LocationCandidate, 'location' | 'stock'>> = {},
): LocationCandidate {
  return {
    location,
    type: 'warehouse',
    priority: 10,
    distanceKm: null,
    capacityLeft: null,
    stock: new Map(Object.entries(stock)),
    ...extra,
  };
}

describe('NearestSingleLocationSourcing', () => {
  it('ships every line from one location when one can, by priority', () => {
    const plan = sourcing.plan(
      [
        { sku: 'A', quantity: 2 },
        { sku: 'B', quantity: 1 },
      ],
      [loc('WH-2', { A: 5, B: 5 }, { priority: 20 }), loc('WH-1', { A: 5, B: 5 })],
    );
    expect(plan).toEqual({
      assignments: [
        {
          location: 'WH-1',
          lines: [
            { sku: 'A', quantity: 2 },
            { sku: 'B', quantity: 1 },
          ],
        },
      ],
      unfilled: [],
    });
  });

  it('prefers the nearer location among equal priorities', () => {
    const plan = sourcing.plan(
      [{ sku: 'A', quantity: 1 }],
      [loc('FAR', { A: 5 }, { distanceKm: 900 }), loc('NEAR', { A: 5 }, { distanceKm: 12 })],
    );
    expect(plan.assignments.map((a) => a.location)).toEqual(['NEAR']);
  });

  it('splits lines across locations only when no single one serves the order, never splitting a line that fits one', () => {
    const plan = sourcing.plan(
      [
        { sku: 'A', quantity: 1 },
        { sku: 'B', quantity: 1 },
        { sku: 'C', quantity: 3 },
      ],
      [loc('WH-1', { A: 1, C: 3 }), loc('WH-2', { B: 1, C: 3 })],
    );
    expect(plan.unfilled).toEqual([]);
    expect(plan.assignments).toEqual([
      {
        location: 'WH-1',
        lines: [
          { sku: 'A', quantity: 1 },
          { sku: 'C', quantity: 3 },
        ],
      },
      { location: 'WH-2', lines: [{ sku: 'B', quantity: 1 }] },
    ]);
  });

  it('splits one line when no location has all of it, and reports what nobody has', () => {
    const plan = sourcing.plan(
      [{ sku: 'A', quantity: 7 }],
      [loc('WH-1', { A: 3 }), loc('WH-2', { A: 2 }, { priority: 20 })],
    );
    expect(plan).toEqual({
      assignments: [
        { location: 'WH-1', lines: [{ sku: 'A', quantity: 3 }] },
        { location: 'WH-2', lines: [{ sku: 'A', quantity: 2 }] },
      ],
      unfilled: [{ sku: 'A', quantity: 2 }],
    });
  });

  it('skips a store whose ship-from-store capacity for the day is used up', () => {
    const plan = sourcing.plan(
      [{ sku: 'A', quantity: 1 }],
      [
        loc('STORE', { A: 5 }, { type: 'store', priority: 1, capacityLeft: 0 }),
        loc('WH-1', { A: 5 }, { priority: 50 }),
      ],
    );
    expect(plan.assignments.map((a) => a.location)).toEqual(['WH-1']);
  });

  it('opens at most as many fulfilment orders at a store as it has capacity left', () => {
    const plan = sourcing.plan(
      [
        { sku: 'A', quantity: 1 },
        { sku: 'B', quantity: 1 },
      ],
      [
        loc('STORE', { A: 1, B: 0 }, { type: 'store', priority: 1, capacityLeft: 1 }),
        loc('WH-1', { A: 0, B: 1 }, { priority: 50 }),
      ],
    );
    expect(plan.assignments).toEqual([
      { location: 'STORE', lines: [{ sku: 'A', quantity: 1 }] },
      { location: 'WH-1', lines: [{ sku: 'B', quantity: 1 }] },
    ]);
  });

  it('merges repeated lines of one SKU', () => {
    const plan = sourcing.plan(
      [
        { sku: 'A', quantity: 1 },
        { sku: 'A', quantity: 2 },
      ],
      [loc('WH-1', { A: 3 })],
    );
    expect(plan.assignments).toEqual([{ location: 'WH-1', lines: [{ sku: 'A', quantity: 3 }] }]);
  });

  it('leaves everything unfilled when the pool is empty', () => {
    expect(sourcing.plan([{ sku: 'A', quantity: 1 }], [])).toEqual({
      assignments: [],
      unfilled: [{ sku: 'A', quantity: 1 }],
    });
  });
});
