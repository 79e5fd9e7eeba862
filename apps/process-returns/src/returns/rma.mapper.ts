import type { Rma, RmaLine, RmaStatus } from './rma';
import type { RmaView } from './return.dto';

/** A return as read from rmas, its order's channel and its lines (aggregated as JSON). */
export interface RmaRow {
  id: string;
  order_id: string;
  channel: string;
  source: string;
  external_ref: string | null;
  reason: string;
  status: RmaStatus;
  location: string | null;
  created_at: Date;
  updated_at: Date;
  lines: RmaLine[];
}

export function toDomain(row: RmaRow): Rma {
  return {
    id: row.id,
    orderId: row.order_id,
    channel: row.channel,
    source: row.source,
    externalRef: row.external_ref,
    reason: row.reason,
    status: row.status,
    location: row.location,
    lines: row.lines
      .map((l) => ({
        sku: l.sku,
        quantity: Number(l.quantity),
        received: Number(l.received),
        resell: Number(l.resell),
        damaged: Number(l.damaged),
        destroyed: Number(l.destroyed),
      }))
      .sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0)),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toView(rma: Rma): RmaView {
  return {
    id: rma.id,
    orderId: rma.orderId,
    channel: rma.channel,
    source: rma.source,
    externalRef: rma.externalRef,
    reason: rma.reason,
    status: rma.status,
    location: rma.location,
    lines: rma.lines.map((l) => ({
      sku: l.sku,
      quantity: l.quantity,
      received: l.received,
      resell: l.resell,
      damaged: l.damaged,
      destroyed: l.destroyed,
    })),
    createdAt: rma.createdAt.toISOString(),
    updatedAt: rma.updatedAt.toISOString(),
  };
}
