import { SingleLocationFirstSourcing, type SourcingCandidate } from './sourcing.strategy';

const strategy = new SingleLocationFirstSourcing();
const cands = (entries: Record<string, [string, number, number][]>) =>
  new Map(
    Object.entries(entries).map(([sku, list]) => [
      sku,
      list.map(([location, priority, available]): SourcingCandidate => ({ location, priority, available })),
    ]),
  );

describe('SingleLocationFirstSourcing', () => {
  it('puts every line at the first location by priority that can serve them all', () => {
    const plan = strategy.plan(
      [
        { sku: 'A', quantity: 2 },
        { sku: 'B', quantity: 1 },
      ],
      cands({
        A: [
          ['L1', 1, 5],
          ['L2', 2, 5],
        ],
        B: [
          ['L1', 1, 0],
          ['L2', 2, 3],
        ],
      }),
    );
    expect(plan).toEqual({
      ok: true,
      allocations: [
        { sku: 'A', location: 'L2', quantity: 2 },
        { sku: 'B', location: 'L2', quantity: 1 },
      ],
    });
  });

  it('prefers the higher-priority location when several can serve everything', () => {
    const plan = strategy.plan(
      [{ sku: 'A', quantity: 1 }],
      cands({
        A: [
          ['L2', 2, 5],
          ['L1', 1, 5],
        ],
      }),
    );
    expect(plan).toEqual({ ok: true, allocations: [{ sku: 'A', location: 'L1', quantity: 1 }] });
  });

  it('splits a line across locations in priority order when no single one suffices', () => {
    const plan = strategy.plan(
      [{ sku: 'A', quantity: 7 }],
      cands({
        A: [
          ['L1', 1, 3],
          ['L2', 2, 3],
          ['L3', 3, 10],
        ],
      }),
    );
    expect(plan).toEqual({ ok: true, allocations: [{ sku: 'A', location: 'L3', quantity: 7 }] });
    const split = strategy.plan(
      [{ sku: 'A', quantity: 5 }],
      cands({
        A: [
          ['L1', 1, 3],
          ['L2', 2, 3],
        ],
      }),
    );
    expect(split).toEqual({
      ok: true,
      allocations: [
        { sku: 'A', location: 'L1', quantity: 3 },
        { sku: 'A', location: 'L2', quantity: 2 },
      ],
    });
  });

  it('reports the pooled availability of a short SKU and holds nothing', () => {
    const plan = strategy.plan(
      [
        { sku: 'A', quantity: 1 },
        { sku: 'B', quantity: 9 },
      ],
      cands({
        A: [['L1', 1, 5]],
        B: [
          ['L1', 1, 2],
          ['L2', 2, 3],
        ],
      }),
    );
    expect(plan).toEqual({ ok: false, shortages: [{ sku: 'B', requested: 9, available: 5 }] });
  });

  it('checks a line with a named location only at that location', () => {
    expect(
      strategy.plan(
        [{ sku: 'A', quantity: 3, location: 'L2' }],
        cands({
          A: [
            ['L1', 1, 10],
            ['L2', 2, 2],
          ],
        }),
      ),
    ).toEqual({
      ok: false,
      shortages: [{ sku: 'A', requested: 3, available: 2 }],
    });
    expect(
      strategy.plan(
        [{ sku: 'A', quantity: 2, location: 'L2' }],
        cands({
          A: [
            ['L1', 1, 10],
            ['L2', 2, 2],
          ],
        }),
      ),
    ).toEqual({
      ok: true,
      allocations: [{ sku: 'A', location: 'L2', quantity: 2 }],
    });
  });

  it('counts units already planned for earlier lines of the same SKU', () => {
    const plan = strategy.plan(
      [
        { sku: 'A', quantity: 3, location: 'L1' },
        { sku: 'A', quantity: 3 },
      ],
      cands({
        A: [
          ['L1', 1, 4],
          ['L2', 2, 1],
        ],
      }),
    );
    expect(plan).toEqual({ ok: false, shortages: [{ sku: 'A', requested: 3, available: 5 }] });
  });

  it('merges two lines of one SKU served from one location', () => {
    const plan = strategy.plan(
      [
        { sku: 'A', quantity: 1 },
        { sku: 'A', quantity: 2 },
      ],
      cands({ A: [['L1', 1, 5]] }),
    );
    expect(plan).toEqual({ ok: true, allocations: [{ sku: 'A', location: 'L1', quantity: 3 }] });
  });

  it('treats a SKU without stock rows as having nothing', () => {
    expect(strategy.plan([{ sku: 'A', quantity: 1 }], cands({ A: [] }))).toEqual({
      ok: false,
      shortages: [{ sku: 'A', requested: 1, available: 0 }],
    });
  });
});
