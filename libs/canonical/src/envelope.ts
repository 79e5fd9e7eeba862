/** The envelope every asynchronous message between layers travels in (DESIGN.md §5). */
export interface EventEnvelope<TType extends string = string, TPayload = unknown> {
  id: string;
  type: TType;
  version: number;
  source: string;
  occurredAt: string;
  correlationId: string;
  causationId: string | null;
  partitionKey: string;
  payload: TPayload;
}

export interface StockMovedPayload {
  sku: string;
  location: string;
  movementType: string;
  deltas: Partial<Record<import('./stock').Bucket, number>>;
}

export type StockMovedEvent = EventEnvelope<'inventory.stock-moved', StockMovedPayload>;
