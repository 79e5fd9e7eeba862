/** Where a return is in its workflow: opened, received into quality control, graded (restocked or written off). */
export type RmaStatus = 'open' | 'received' | 'graded' | 'cancelled';

/** One SKU of a return: units announced, received and, once graded, how they were graded. */
export interface RmaLine {
  sku: string;
  quantity: number;
  received: number;
  resell: number;
  damaged: number;
  destroyed: number;
}

/** A return (RMA) of units of one order. */
export interface Rma {
  id: string;
  orderId: string;
  /** The order's channel. */
  channel: string;
  /** Who opened it: `oms` or the order's channel. */
  source: string;
  externalRef: string | null;
  reason: string;
  status: RmaStatus;
  /** Where it was received; null until then. */
  location: string | null;
  lines: RmaLine[];
  createdAt: Date;
  updatedAt: Date;
}

/** Units of one SKU in a request. */
export interface SkuQuantity {
  sku: string;
  quantity: number;
}

/** How the received units of one SKU were graded. */
export interface GradeLine {
  sku: string;
  resell: number;
  damaged: number;
  destroy: number;
}

export const GRADES = ['resell', 'damaged', 'destroy'] as const;
export type Grade = (typeof GRADES)[number];
