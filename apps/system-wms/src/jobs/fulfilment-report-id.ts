import { deterministicEventId } from '@stockbridge/messaging';

/**
 * The id of the `fulfilment.reported` event about one source event: a WMS event (shipment, short pick) or a
 * fulfilment request (release, cancel). The same source always gives the same id, so a redelivery, retry
 * or replay publishes the very same report.
 */
export function fulfilmentReportId(system: string, sourceEventId: string): string {
  return deterministicEventId(`${system}/fulfilment/${sourceEventId}`);
}
