import type { Uom } from '../infra/units';

export const WMS_EVENT_TYPES = [
  'RECEIPT',
  'PICK',
  'SHIPMENT',
  'ADJUSTMENT',
  'CYCLE_COUNT',
  'TRANSFER',
  'SHORT_PICK',
] as const;
export type WmsEventType = (typeof WMS_EVENT_TYPES)[number];

/**
 * The body of a WMS webhook, serialized once when the event is recorded: every delivery and redelivery
 * sends the same bytes. For CYCLE_COUNT `qty` is the counted quantity; for TRANSFER `warehouse` is the source;
 * for SHORT_PICK `qty` is what the picker could not find for the order `orderRef` (always present then).
 */
export interface WmsEventBody {
  eventId: string;
  eventType: WmsEventType;
  sequence: number;
  occurredAt: string;
  warehouse: string;
  itemCode: string;
  qty: number;
  uom: Uom;
  toWarehouse?: string;
  reasonCode?: string;
  orderRef?: string;
}

/** An operation entered at the WMS, before it has an id and a sequence number. */
export type WmsOperation = Omit<WmsEventBody, 'eventId' | 'sequence' | 'occurredAt'>;
