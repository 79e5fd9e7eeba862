import { checkOpening, checkReceipt, type ReturnableSku, sameOpening, sameReceipt } from './return-rules';
import type { Rma } from './rma';
import { ReturnError } from './return.error';

const rma = (lines: Partial<Rma['lines'][number]>[], extra: Partial<Rma> = {}): Rma => ({
  id: 'r-1',
  orderId: '0b6f2f4e-8d7c-4b1a-9e3f-5a2d1c0b9e8f',
  channel: 'web',
  source: 'web',
  externalRef: 'RMA-1',
  reason: 'wrong size',
  status: 'open',
  location: null,
  lines: lines.map((l) => ({
    sku: 'A',
    quantity: 0,
    received: 0,
    resell: 0,
    damaged: 0,
    destroyed: 0,
    ...l,
  })),
  createdAt: new Date(0),
  updatedAt: new Date(0),
  ...extra,
});

const refusal = (fn: () => unknown): ReturnError | undefined => {
  try {
    fn();
  } catch (err) {
    if (err instanceof ReturnError) return err;
    throw err;
  }
  return undefined;
};

describe('checkOpening', () => {
  const order = new Map<string, ReturnableSku>([
    ['A', { shipped: 5, alreadyReturned: 2 }],
    ['B', { shipped: 0, alreadyReturned: 0 }],
  ]);

  it('accepts returning exactly the shipped units not yet on other returns', () => {
    expect(refusal(() => checkOpening([{ sku: 'A', quantity: 3 }], order))).toBeUndefined();
  });

  it('refuses the 4th unit when 5 shipped and 2 are already on an earlier return', () => {
    const error = refusal(() => checkOpening([{ sku: 'A', quantity: 4 }], order));
    expect(error?.code).toBe('over-return');
    expect(error?.message).toBe('A: 4 requested, but 5 shipped and 2 already on other returns.');
    expect(error?.details).toEqual({
      overReturns: [{ sku: 'A', requested: 4, shipped: 5, alreadyReturned: 2 }],
    });
  });

  it('refuses units of a SKU that was ordered but never shipped', () => {
    expect(refusal(() => checkOpening([{ sku: 'B', quantity: 1 }], order))?.code).toBe('over-return');
  });

  it('refuses a SKU that is not on the order, naming it', () => {
    const error = refusal(() =>
      checkOpening(
        [
          { sku: 'A', quantity: 1 },
          { sku: 'Z', quantity: 1 },
        ],
        order,
      ),
    );
    expect(error?.code).toBe('sku-not-on-order');
    expect(error?.details).toEqual({ skus: ['Z'] });
  });
});

describe('sameOpening', () => {
  const open = rma([
    { sku: 'A', quantity: 2 },
    { sku: 'B', quantity: 1 },
  ]);
  const base = { orderId: open.orderId, reason: 'wrong size' };

  it('recognises the same order, reason and units whatever the line order or id case', () => {
    expect(
      sameOpening(open, {
        ...base,
        orderId: open.orderId.toUpperCase(),
        lines: [
          { sku: 'B', quantity: 1 },
          { sku: 'A', quantity: 2 },
        ],
      }),
    ).toBe(true);
  });

  it('tells apart other units, another reason and another order', () => {
    const lines = [
      { sku: 'A', quantity: 2 },
      { sku: 'B', quantity: 1 },
    ];
    expect(sameOpening(open, { ...base, lines: [{ sku: 'A', quantity: 2 }] })).toBe(false);
    expect(sameOpening(open, { ...base, reason: 'damaged', lines })).toBe(false);
    expect(sameOpening(open, { ...base, orderId: '00000000-0000-4000-8000-000000000000', lines })).toBe(
      false,
    );
  });
});

describe('checkReceipt', () => {
  const open = rma([
    { sku: 'A', quantity: 3 },
    { sku: 'B', quantity: 1 },
  ]);

  it('gives the units received per SKU of the return, 0 for SKUs that did not arrive', () => {
    expect([...checkReceipt(open, [{ sku: 'A', quantity: 3 }])]).toEqual([
      ['A', 3],
      ['B', 0],
    ]);
  });

  it('refuses more units than the return announced, and SKUs not on it', () => {
    expect(refusal(() => checkReceipt(open, [{ sku: 'A', quantity: 4 }]))?.code).toBe('over-receipt');
    expect(refusal(() => checkReceipt(open, [{ sku: 'Z', quantity: 1 }]))?.code).toBe('sku-not-on-rma');
  });
});

describe('sameReceipt', () => {
  const received = rma(
    [
      { sku: 'A', quantity: 3, received: 3 },
      { sku: 'B', quantity: 1, received: 0 },
    ],
    { status: 'received', location: 'WH-1' },
  );

  it('recognises the recorded receipt, with SKUs that did not arrive left out', () => {
    expect(sameReceipt(received, 'WH-1', [{ sku: 'A', quantity: 3 }])).toBe(true);
  });

  it('tells apart another location, other units and unknown SKUs', () => {
    expect(sameReceipt(received, 'WH-2', [{ sku: 'A', quantity: 3 }])).toBe(false);
    expect(sameReceipt(received, 'WH-1', [{ sku: 'A', quantity: 2 }])).toBe(false);
    expect(
      sameReceipt(received, 'WH-1', [
        { sku: 'A', quantity: 3 },
        { sku: 'B', quantity: 1 },
      ]),
    ).toBe(false);
    expect(
      sameReceipt(received, 'WH-1', [
        { sku: 'A', quantity: 3 },
        { sku: 'Z', quantity: 1 },
      ]),
    ).toBe(false);
  });
});
