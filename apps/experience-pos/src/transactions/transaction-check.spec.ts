import { checkTransaction, isRealDateTime } from './transaction-check';

const sale = {
  transactionId: 'NYC-T1-0001',
  type: 'sale',
  occurredAt: '2026-01-05T09:41:07-05:00',
  lines: [{ sku: 'SKU-00001', quantity: 2 }],
};

describe('checkTransaction (one transaction of a POS batch)', () => {
  it('passes a sale, a return and a void on, rebuilt with exactly their fields', () => {
    expect(checkTransaction(sale)).toEqual({ ok: true, transaction: sale });
    const ret = { ...sale, transactionId: 'R-1', type: 'return' };
    expect(checkTransaction(ret)).toEqual({ ok: true, transaction: ret });
    const voiding = {
      transactionId: 'V-1',
      type: 'void',
      occurredAt: '2026-01-05T14:41:07Z',
      voidsTransactionId: 'NYC-T1-0001',
    };
    expect(checkTransaction(voiding)).toEqual({ ok: true, transaction: voiding });
  });

  it('refuses what is not an object, with no id to report', () => {
    for (const raw of [null, 42, 'sale', [sale]]) {
      expect(checkTransaction(raw)).toEqual({
        ok: false,
        result: { transactionId: null, status: 'refused', reason: 'a transaction must be a JSON object' },
      });
    }
  });

  it('names every broken rule, with the path of a nested one, and reports the id as sent', () => {
    const checked = checkTransaction({
      ...sale,
      type: 'refund',
      lines: [{ sku: 'SKU 1', quantity: 0 }],
      till: 3,
    });
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.result.transactionId).toBe('NYC-T1-0001');
    expect(checked.result.status).toBe('refused');
    const reasons = checked.result.reason!.split('; ');
    expect(reasons).toEqual(
      expect.arrayContaining([
        'property till should not exist',
        'type must be one of sale, return, void',
        'lines.0.sku must be 1–64 letters, digits, ".", "_" or "-"',
        'lines.0.quantity must not be less than 1',
      ]),
    );
  });

  it('refuses a sale without lines, a void with lines or without its target, and a sale that voids', () => {
    const reason = (raw: unknown) => {
      const c = checkTransaction(raw);
      return c.ok ? undefined : c.result.reason;
    };
    expect(reason({ ...sale, lines: [] })).toBe('lines must contain at least 1 elements');
    expect(reason({ ...sale, lines: undefined })).toMatch(/^lines /);
    expect(reason({ ...sale, type: 'void', voidsTransactionId: 'X' })).toBe('a void has no lines');
    expect(reason({ transactionId: 'V', type: 'void', occurredAt: sale.occurredAt })).toMatch(
      /voidsTransactionId must be 1–128 visible ASCII characters/,
    );
    expect(reason({ ...sale, voidsTransactionId: 'X' })).toBe('voidsTransactionId belongs to a void only');
    expect(reason({ ...sale, lines: Array.from({ length: 101 }, () => sale.lines[0]) })).toBe(
      'lines must contain no more than 100 elements',
    );
  });

  it('refuses ids that are not 1–128 visible ASCII characters, reporting them as sent (cut at 128)', () => {
    const long = 'x'.repeat(129);
    const c = checkTransaction({ ...sale, transactionId: long });
    expect(c).toMatchObject({ ok: false, result: { transactionId: 'x'.repeat(128) } });
    expect(checkTransaction({ ...sale, transactionId: 'with space' })).toMatchObject({
      ok: false,
      result: { transactionId: 'with space', reason: 'transactionId must be 1–128 visible ASCII characters' },
    });
    expect(checkTransaction({ ...sale, transactionId: 7 })).toMatchObject({
      ok: false,
      result: { transactionId: null },
    });
  });

  it('refuses a time without a zone, or one that is not on the calendar', () => {
    const reason = (occurredAt: unknown) => {
      const c = checkTransaction({ ...sale, occurredAt });
      return c.ok ? undefined : c.result.reason;
    };
    expect(reason('2026-01-05T09:41:07')).toBe('occurredAt must be an ISO 8601 date-time with a zone');
    expect(reason('2026-01-05')).toBe('occurredAt must be an ISO 8601 date-time with a zone');
    expect(reason(1767606067000)).toMatch(/occurredAt must be/);
    expect(reason('2026-02-30T10:00:00Z')).toBe('occurredAt is not a date and time of the calendar');
    expect(reason('2026-01-05T09:41:07.123456+01:00')).toBeUndefined();
  });
});

describe('isRealDateTime', () => {
  it('knows leap years, month lengths and the hours of a day', () => {
    expect(isRealDateTime('2028-02-29T00:00:00Z')).toBe(true);
    expect(isRealDateTime('2026-02-29T00:00:00Z')).toBe(false);
    expect(isRealDateTime('2026-04-31T00:00Z')).toBe(false);
    expect(isRealDateTime('2026-01-01T24:00:00Z')).toBe(false);
    expect(isRealDateTime('2026-12-31T23:59:59.999-12:00')).toBe(true);
  });
});
