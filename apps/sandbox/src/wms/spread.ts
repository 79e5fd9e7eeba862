/** One order line that can take part of a quantity: `room` is what it still lacks (never below 0). */
export interface LineRoom {
  lineNo: number;
  room: number;
}

/**
 * Spreads a quantity over an order's lines of one item, in line order, each up to its room; what is left
 * goes to the last line (an over-shipment is still recorded, not dropped). No lines: nothing to spread on.
 */
export function spread(quantity: number, lines: LineRoom[]): Map<number, number> {
  const out = new Map<number, number>();
  let left = quantity;
  for (const line of lines) {
    const take = Math.min(left, Math.max(0, line.room));
    if (take > 0) out.set(line.lineNo, take);
    left -= take;
  }
  const last = lines.at(-1);
  if (left > 0 && last) out.set(last.lineNo, (out.get(last.lineNo) ?? 0) + left);
  return out;
}
