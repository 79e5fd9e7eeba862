/**
 * Money on the ERP's API: a decimal string of currency units with at most two decimals ("12.5", "1234.00"),
 * never a float, so that no amount is rounded on its way in.
 */
export const AMOUNT_PATTERN = /^\d{1,13}(\.\d{1,2})?$/;
/** A line amount may be negative (a credit line of an adjustment). */
export const SIGNED_AMOUNT_PATTERN = /^-?\d{1,13}(\.\d{1,2})?$/;

/** The amount as the ERP shows it, always with two decimals: "12.5" → "12.50", "-0" → "0.00". */
export function normalizeAmount(amount: string): string {
  const negative = amount.startsWith('-');
  const [units, fraction = ''] = (negative ? amount.slice(1) : amount).split('.');
  const whole = units.replace(/^0+(?=\d)/, '');
  const cents = fraction.padEnd(2, '0');
  const zero = /^0+$/.test(whole) && cents === '00';
  return `${negative && !zero ? '-' : ''}${whole}.${cents}`;
}
