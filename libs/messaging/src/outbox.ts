import type { EventEnvelope } from '@stockbridge/canonical';
import type { Sql } from '@stockbridge/persistence';

/**
 * Writes events in the caller's transaction (docs/messaging.md): they exist exactly when the change they
 * announce was committed, and the relay publishes them afterwards.
 */
export async function writeOutbox(sql: Sql, events: EventEnvelope[]): Promise<void> {
  if (events.length === 0) return;
  await sql.query(
    `INSERT INTO outbox_events (id, event_type, envelope)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::jsonb[]) ON CONFLICT (id) DO NOTHING`,
    [events.map((e) => e.id), events.map((e) => e.type), events.map((e) => JSON.stringify(e))],
  );
}
