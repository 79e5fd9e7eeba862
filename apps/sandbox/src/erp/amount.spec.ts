import { AMOUNT_PATTERN, normalizeAmount, SIGNED_AMOUNT_PATTERN } from './amount';

describe('ERP amounts', () => {
  it('takes currency units with up to two decimals, as text', () => {
    expect(['0', '12', '12.5', '12.50', '1234567890123.99'].every((a) => AMOUNT_PATTERN.test(a))).toBe(true);
    expect(['', '-1', '1.234', '1e3', '.5', '12,50', ' 1'].some((a) => AMOUNT_PATTERN.test(a))).toBe(false);
    expect(SIGNED_AMOUNT_PATTERN.test('-3.10')).toBe(true);
  });

  it('shows every amount with two decimals and without leading zeros', () => {
    expect(normalizeAmount('12.5')).toBe('12.50');
    expect(normalizeAmount('007')).toBe('7.00');
    expect(normalizeAmount('0.05')).toBe('0.05');
    expect(normalizeAmount('-3.1')).toBe('-3.10');
    expect(normalizeAmount('-0.00')).toBe('0.00');
  });
});
