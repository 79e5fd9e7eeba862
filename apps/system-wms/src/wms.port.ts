import type {
  FulfilmentReportedPayload,
  FulfilmentRequestedPayload,
  StockMovedPayload,
} from '@stockbridge/canonical';
import { OnHandSource } from '@stockbridge/integration';

/** A webhook the WMS pushed, verified and checked for shape; its body stays native (the adapter reads it). */
export interface WmsInboundEvent {
  /** The WMS's own event id: redeliveries carry the same one. */
  eventId: string;
  occurredAt: string;
  body: unknown;
}

export type StockMovement = Omit<StockMovedPayload, 'sourceSystem' | 'sourceEventId'> & {
  sourceEventId: string;
};

/**
 * What one WMS event means for the platform: stock movements for the ledger, and reports on fulfilment
 * orders (ours, released through `release`) for process-allocation. Either may be empty (a pick means nothing yet).
 */
export interface WmsTranslation {
  movements: StockMovement[];
  reports: FulfilmentReportedPayload[];
}

/**
 * What the platform needs from a WMS: its webhooks verified and read in canonical terms, fulfilment orders
 * released and cancelled, and an on-hand snapshot. One adapter per WMS product; native field names never
 * leave the adapter.
 */
export abstract class WmsPort extends OnHandSource {
  readonly backendName = 'WMS';
  /** Our name for the backend in cross-references and as the movements' source system. */
  abstract readonly system: string;
  /** Checks the webhook's signature over the raw bytes; `null` when valid, else why not. */
  abstract verify(rawBody: Buffer, headers: Record<string, string | string[] | undefined>): string | null;
  /** Checks the webhook body's shape; throws a PermanentError-free `Error` with a reason when it is not an event. */
  abstract parse(body: unknown): WmsInboundEvent;
  /**
   * The canonical movements and fulfilment reports the event means; throws PermanentError('unmapped') for
   * unknown codes. Shipments of our fulfilment orders are reports (process-allocation moves the stock), not movements.
   */
  abstract translate(event: WmsInboundEvent): Promise<WmsTranslation>;
  /**
   * Releases a fulfilment order for picking at its location, keyed by the fulfilment order id: releasing it
   * again changes nothing.
   */
  abstract release(request: FulfilmentRequestedPayload): Promise<void>;
  /**
   * Cancels a released fulfilment order: `refused` when the WMS has shipped units of it already. Cancelling
   * a cancelled order answers `cancelled` again.
   */
  abstract cancel(fulfilmentOrderId: string): Promise<'cancelled' | 'refused'>;
  abstract circuit(): string;
}
