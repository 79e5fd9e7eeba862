import type { StockMovedPayload } from '@stockbridge/canonical';
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
 * What the platform needs from a WMS: its webhooks verified and read as canonical stock movements, and
 * an on-hand snapshot. One adapter per WMS product; native field names never leave the adapter.
 */
export abstract class WmsPort extends OnHandSource {
  readonly backendName = 'WMS';
  /** Our name for the backend in cross-references and as the movements' source system. */
  abstract readonly system: string;
  /** Checks the webhook's signature over the raw bytes; `null` when valid, else why not. */
  abstract verify(rawBody: Buffer, headers: Record<string, string | string[] | undefined>): string | null;
  /** Checks the webhook body's shape; throws a PermanentError-free `Error` with a reason when it is not an event. */
  abstract parse(body: unknown): WmsInboundEvent;
  /** The canonical movements the event means (none for a pick); throws PermanentError('unmapped') for unknown codes. */
  abstract movements(event: WmsInboundEvent): Promise<StockMovement[]>;
  abstract circuit(): string;
}
