import {
  checkGrades,
  gradeMovements,
  gradeSummary,
  returnPostings,
  sameGrades,
  type UnitValue,
} from './grading';
import type { Rma } from './rma';
import { ReturnError } from './return.error';

const rma = (lines: Partial<Rma['lines'][number]>[], status: Rma['status'] = 'received'): Rma => ({
  id: 'r-1',
  orderId: 'o-1',
  channel: 'web',
  source: 'web',
  externalRef: null,
  reason: 'wrong size',
  status,
  location: 'WH-1',
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
});

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return err instanceof ReturnError ? err.code : String(err);
  }
  return 'no error';
};

describe('checkGrades', () => {
  const received = rma([
    { sku: 'A', quantity: 3, received: 3 },
    { sku: 'B', quantity: 2, received: 0 },
  ]);

  it('accepts grades that add up to the units received, and grades a SKU left out as nothing', () => {
    expect(checkGrades(received, [{ sku: 'A', resell: 2, damaged: 1, destroy: 0 }])).toEqual([
      { sku: 'A', resell: 2, damaged: 1, destroy: 0 },
      { sku: 'B', resell: 0, damaged: 0, destroy: 0 },
    ]);
  });

  it('refuses 2 resell + 0 damaged for 3 received units, naming the SKU and both figures', () => {
    let error: ReturnError | undefined;
    try {
      checkGrades(received, [{ sku: 'A', resell: 2, damaged: 0, destroy: 0 }]);
    } catch (err) {
      error = err as ReturnError;
    }
    expect(error?.code).toBe('grade-mismatch');
    expect(error?.message).toContain('A: 2 resell + 0 damaged + 0 destroy = 2, but 3 were received');
    expect(error?.details).toEqual({ mismatches: [{ sku: 'A', graded: 2, received: 3 }] });
  });

  it('refuses more units than received, and a received SKU that was left out', () => {
    expect(codeOf(() => checkGrades(received, [{ sku: 'A', resell: 3, damaged: 1, destroy: 0 }]))).toBe(
      'grade-mismatch',
    );
    expect(codeOf(() => checkGrades(received, [{ sku: 'B', resell: 0, damaged: 0, destroy: 0 }]))).toBe(
      'grade-mismatch',
    );
  });

  it('refuses a SKU that is not on the return, a SKU listed twice, and negative or fractional units', () => {
    expect(codeOf(() => checkGrades(received, [{ sku: 'Z', resell: 1, damaged: 0, destroy: 0 }]))).toBe(
      'sku-not-on-rma',
    );
    expect(
      codeOf(() =>
        checkGrades(received, [
          { sku: 'A', resell: 3, damaged: 0, destroy: 0 },
          { sku: 'A', resell: 3, damaged: 0, destroy: 0 },
        ]),
      ),
    ).toBe('duplicate-sku');
    expect(codeOf(() => checkGrades(received, [{ sku: 'A', resell: 4, damaged: -1, destroy: 0 }]))).toBe(
      'grade-mismatch',
    );
    expect(codeOf(() => checkGrades(received, [{ sku: 'A', resell: 2.5, damaged: 0.5, destroy: 0 }]))).toBe(
      'grade-mismatch',
    );
  });
});

describe('sameGrades', () => {
  const graded = rma(
    [
      { sku: 'A', quantity: 3, received: 3, resell: 2, damaged: 1 },
      { sku: 'B', quantity: 1, received: 0 },
    ],
    'graded',
  );

  it('recognises the recorded grading, with SKUs of no units left out or listed as zeros', () => {
    expect(sameGrades(graded, [{ sku: 'A', resell: 2, damaged: 1, destroy: 0 }])).toBe(true);
    expect(
      sameGrades(graded, [
        { sku: 'B', resell: 0, damaged: 0, destroy: 0 },
        { sku: 'A', resell: 2, damaged: 1, destroy: 0 },
      ]),
    ).toBe(true);
  });

  it('tells apart another split, an unknown SKU and a SKU listed twice', () => {
    expect(sameGrades(graded, [{ sku: 'A', resell: 1, damaged: 2, destroy: 0 }])).toBe(false);
    expect(
      sameGrades(graded, [
        { sku: 'A', resell: 2, damaged: 1, destroy: 0 },
        { sku: 'Z', resell: 0, damaged: 0, destroy: 0 },
      ]),
    ).toBe(false);
    expect(
      sameGrades(graded, [
        { sku: 'A', resell: 2, damaged: 1, destroy: 0 },
        { sku: 'A', resell: 2, damaged: 1, destroy: 0 },
      ]),
    ).toBe(false);
  });
});

describe('gradeMovements', () => {
  it('makes one movement per SKU and grade with units, in SKU order, with ids stable per return, grade and SKU', () => {
    expect(
      gradeMovements('r-1', [
        { sku: 'B', resell: 0, damaged: 0, destroy: 4 },
        { sku: 'A', resell: 2, damaged: 1, destroy: 0 },
        { sku: 'C', resell: 0, damaged: 0, destroy: 0 },
      ]),
    ).toEqual([
      { kind: 'grade-resell', sku: 'A', quantity: 2, sourceEventId: 'rma:r-1:grade:resell:A' },
      { kind: 'grade-damaged', sku: 'A', quantity: 1, sourceEventId: 'rma:r-1:grade:damaged:A' },
      { kind: 'grade-destroy', sku: 'B', quantity: 4, sourceEventId: 'rma:r-1:grade:destroy:B' },
    ]);
  });
});

describe('returnPostings', () => {
  const values = new Map<string, UnitValue>([
    ['A', { priceCents: 2_500, costCents: 1_000 }],
    ['B', { priceCents: 900, costCents: 300 }],
  ]);
  const target = { id: 'r-1', orderId: 'o-1', channel: 'web', location: 'WH-1' };

  it('refunds the price of every graded unit and adjusts at cost once per grade used, with return-scoped keys', () => {
    const drafts = returnPostings(
      target,
      [
        { sku: 'A', resell: 2, damaged: 1, destroy: 0 },
        { sku: 'B', resell: 1, damaged: 0, destroy: 0 },
      ],
      values,
    );
    expect(drafts.map((d) => [d.postingKey, d.kind, d.reason])).toEqual([
      ['refund:r-1', 'refund', 'return-refund'],
      ['adjustment:r-1:resell', 'inventory-adjustment', 'return-resell'],
      ['adjustment:r-1:damaged', 'inventory-adjustment', 'return-damaged'],
    ]);
    expect(drafts[0].lines).toEqual([
      { sku: 'A', location: 'WH-1', quantity: 3, amountCents: 7_500 },
      { sku: 'B', location: 'WH-1', quantity: 1, amountCents: 900 },
    ]);
    expect(drafts[1].lines).toEqual([
      { sku: 'A', location: 'WH-1', quantity: 2, amountCents: 2_000 },
      { sku: 'B', location: 'WH-1', quantity: 1, amountCents: 300 },
    ]);
    expect(drafts[2].lines).toEqual([{ sku: 'A', location: 'WH-1', quantity: 1, amountCents: 1_000 }]);
    for (const d of drafts) expect(d).toMatchObject({ channel: 'web', orderId: 'o-1', rmaId: 'r-1' });
  });

  it('writes off destroyed units as a return-destroy adjustment and leaves SKUs without units out', () => {
    const drafts = returnPostings(
      target,
      [
        { sku: 'A', resell: 0, damaged: 0, destroy: 2 },
        { sku: 'B', resell: 0, damaged: 0, destroy: 0 },
      ],
      values,
    );
    expect(drafts.map((d) => d.postingKey)).toEqual(['refund:r-1', 'adjustment:r-1:destroy']);
    expect(drafts[0].lines).toEqual([{ sku: 'A', location: 'WH-1', quantity: 2, amountCents: 5_000 }]);
    expect(drafts[1]).toMatchObject({
      reason: 'return-destroy',
      lines: [{ sku: 'A', location: 'WH-1', quantity: 2, amountCents: 2_000 }],
    });
  });

  it('asks for nothing when no unit was graded', () => {
    expect(returnPostings(target, [{ sku: 'A', resell: 0, damaged: 0, destroy: 0 }], values)).toEqual([]);
  });
});

describe('gradeSummary', () => {
  it('totals each grade over the SKUs', () => {
    expect(
      gradeSummary([
        { sku: 'A', resell: 2, damaged: 1, destroy: 0 },
        { sku: 'B', resell: 1, damaged: 0, destroy: 3 },
      ]),
    ).toBe('3 resell, 1 damaged, 3 destroy');
  });
});
