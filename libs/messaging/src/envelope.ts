import type { EventOf, EventPayloads, EventType } from '@stockbridge/canonical';
import { currentCorrelationId } from './correlation';
import { newEventId } from './event-id';

export interface EnvelopeOptions {
  source: string;
  partitionKey: string;
  /** Defaults to the correlation id in scope, else the event id (a new chain starts here). */
  correlationId?: string | null;
  causationId?: string | null;
  id?: string;
  occurredAt?: Date;
  version?: number;
}

export function envelope<T extends EventType>(
  type: T,
  payload: EventPayloads[T],
  options: EnvelopeOptions,
): EventOf<T> {
  const id = options.id ?? newEventId();
  return {
    id,
    type,
    version: options.version ?? 1,
    source: options.source,
    occurredAt: (options.occurredAt ?? new Date()).toISOString(),
    correlationId: options.correlationId ?? currentCorrelationId() ?? id,
    causationId: options.causationId ?? null,
    partitionKey: options.partitionKey,
    payload,
  };
}
