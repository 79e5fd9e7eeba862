/** An order to create in the OMS, in our codes: one per confirmed reservation. */
export interface OmsOrder {
  /** Our reference (the reservation id): the OMS keeps at most one order per reference. */
  reference: string;
  channel: string;
  lines: { sku: string; quantity: number }[];
}

/** What the platform needs from an order management system. One adapter per OMS product. */
export abstract class OmsPort {
  /** Creates the order; calling it again with the same reference returns the existing one. */
  abstract createOrder(order: OmsOrder): Promise<{ omsOrderId: string; duplicate: boolean }>;
  abstract circuit(): string;
}
