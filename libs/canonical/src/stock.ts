/** The buckets the ledger keeps per SKU and location (docs/inventory-model.md#buckets). */
export const BUCKETS = [
  'onHand',
  'reserved',
  'allocated',
  'damaged',
  'qualityControl',
  'incoming',
  'safetyStock',
  'oversold',
] as const;

export type Bucket = (typeof BUCKETS)[number];

export type Buckets = Record<Bucket, number>;

export interface StockLevel extends Buckets {
  sku: string;
  location: string;
  version: number;
  updatedAt: Date;
}

export function emptyBuckets(): Buckets {
  return {
    onHand: 0,
    reserved: 0,
    allocated: 0,
    damaged: 0,
    qualityControl: 0,
    incoming: 0,
    safetyStock: 0,
    oversold: 0,
  };
}

/**
 * Available to sell at one location: on hand less everything held or unsellable, floored at 0; and 0 while
 * the location's tills have sold more than the ledger had free there (`oversold` > 0), until it is counted.
 */
export function availableToSell(level: Buckets): number {
  if (level.oversold > 0) return 0;
  const raw =
    level.onHand -
    level.reserved -
    level.allocated -
    level.damaged -
    level.qualityControl -
    level.safetyStock;
  return raw > 0 ? raw : 0;
}
