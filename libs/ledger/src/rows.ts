import type { Buckets, StockLevel } from '@stockbridge/canonical';

/** Column ↔ bucket names, in one place. */
export const BUCKET_COLUMNS: Record<keyof Buckets, string> = {
  onHand: 'on_hand',
  reserved: 'reserved',
  allocated: 'allocated',
  damaged: 'damaged',
  qualityControl: 'quality_control',
  incoming: 'incoming',
  safetyStock: 'safety_stock',
  oversold: 'oversold',
};

/**
 * Available-to-sell at one location in SQL, before flooring at 0, for `stock_levels` aliased `s`: on hand
 * less everything held or unsellable, and 0 while the level is oversold (its tills sold more than the ledger
 * had free there; it stays so until counted). The one definition every statement of the ledger uses (the
 * never-oversell guards, the pool reads, the availability figures), so an oversold level holds nothing and
 * shows 0 to every channel; `availableToSell` in libs/canonical is the same figure in TypeScript, floored
 * (docs/inventory-model.md).
 */
export const AVAILABLE_SQL = `(CASE WHEN s.oversold > 0 THEN 0 ELSE s.on_hand - s.reserved - s.allocated - s.damaged - s.quality_control - s.safety_stock END)`;

export interface LevelRow {
  sku: string;
  location: string;
  on_hand: string;
  reserved: string;
  allocated: string;
  damaged: string;
  quality_control: string;
  incoming: string;
  safety_stock: string;
  oversold: string;
  version: string;
  updated_at: Date;
}

export function toStockLevel(row: LevelRow): StockLevel {
  return {
    sku: row.sku,
    location: row.location,
    onHand: Number(row.on_hand),
    reserved: Number(row.reserved),
    allocated: Number(row.allocated),
    damaged: Number(row.damaged),
    qualityControl: Number(row.quality_control),
    incoming: Number(row.incoming),
    safetyStock: Number(row.safety_stock),
    oversold: Number(row.oversold),
    version: Number(row.version),
    updatedAt: row.updated_at,
  };
}
