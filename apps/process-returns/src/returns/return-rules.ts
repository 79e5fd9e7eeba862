import { type Rma, type SkuQuantity } from './rma';
import { ReturnError } from './return.error';

/** What the order says about one SKU: units shipped, and units already on earlier, non-cancelled returns. */
export interface ReturnableSku {
  shipped: number;
  alreadyReturned: number;
}

/** The opening request's identity for idempotency: same order, reason and units per SKU. */
export interface Opening {
  orderId: string;
  reason: string;
  lines: SkuQuantity[];
}

const sorted = (lines: SkuQuantity[]) =>
  [...lines]
    .sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0))
    .map((l) => `${l.sku}=${l.quantity}`);

/** Throws when a SKU appears twice (the DTOs already refuse it; the rules do not rely on that). */
export function assertOncePerSku(lines: { sku: string }[]): void {
  const seen = new Set<string>();
  for (const l of lines) {
    if (seen.has(l.sku))
      throw new ReturnError('duplicate-sku', `SKU ${l.sku} appears more than once; list each SKU once.`, {
        sku: l.sku,
      });
    seen.add(l.sku);
  }
}

/**
 * Checks the units of a new return against the order: each SKU must be on the order, and the units on this
 * and earlier non-cancelled returns may not exceed the units shipped of it.
 */
export function checkOpening(lines: SkuQuantity[], order: Map<string, ReturnableSku>): void {
  assertOncePerSku(lines);
  const notOnOrder = lines.filter((l) => !order.has(l.sku)).map((l) => l.sku);
  if (notOnOrder.length > 0)
    throw new ReturnError(
      'sku-not-on-order',
      `The order has no line for ${notOnOrder.join(', ')}; only SKUs of the order can be returned.`,
      { skus: notOnOrder },
    );
  const over = lines
    .map((l) => ({ sku: l.sku, requested: l.quantity, ...order.get(l.sku)! }))
    .filter((l) => l.alreadyReturned + l.requested > l.shipped);
  if (over.length > 0)
    throw new ReturnError(
      'over-return',
      over
        .map(
          (l) =>
            `${l.sku}: ${l.requested} requested, but ${l.shipped} shipped and ${l.alreadyReturned} already on other returns`,
        )
        .join('; ') + '.',
      {
        overReturns: over.map((l) => ({
          sku: l.sku,
          requested: l.requested,
          shipped: l.shipped,
          alreadyReturned: l.alreadyReturned,
        })),
      },
    );
}

/** Whether a repeated opening (same source and external reference) asks for the same return. */
export function sameOpening(rma: Rma, opening: Opening): boolean {
  return (
    rma.orderId === opening.orderId.toLowerCase() &&
    rma.reason === opening.reason &&
    sorted(rma.lines).join(',') === sorted(opening.lines).join(',')
  );
}

/**
 * Checks what arrived against the return: each SKU on it, at most the units it announced. Returns the
 * units received per SKU of the return (0 for SKUs that did not arrive).
 */
export function checkReceipt(rma: Rma, lines: SkuQuantity[]): Map<string, number> {
  assertOncePerSku(lines);
  const onRma = new Map(rma.lines.map((l) => [l.sku, l]));
  const unknown = lines.filter((l) => !onRma.has(l.sku)).map((l) => l.sku);
  if (unknown.length > 0)
    throw new ReturnError('sku-not-on-rma', `Return ${rma.id} has no line for ${unknown.join(', ')}.`, {
      skus: unknown,
    });
  const over = lines.filter((l) => l.quantity > onRma.get(l.sku)!.quantity);
  if (over.length > 0)
    throw new ReturnError(
      'over-receipt',
      over
        .map(
          (l) => `${l.sku}: ${l.quantity} received, but the return announced ${onRma.get(l.sku)!.quantity}`,
        )
        .join('; ') + '.',
      { skus: over.map((l) => l.sku) },
    );
  const received = new Map(rma.lines.map((l) => [l.sku, 0]));
  for (const l of lines) received.set(l.sku, l.quantity);
  return received;
}

/** Whether a repeated receipt says what the recorded one said (same location, same units per SKU). */
export function sameReceipt(rma: Rma, location: string, lines: SkuQuantity[]): boolean {
  if (rma.location !== location) return false;
  const given = new Map(lines.map((l) => [l.sku, l.quantity]));
  if ([...given.keys()].some((sku) => !rma.lines.some((l) => l.sku === sku))) return false;
  return rma.lines.every((l) => (given.get(l.sku) ?? 0) === l.received);
}
