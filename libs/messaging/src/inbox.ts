import type { EventEnvelope } from '@stockbridge/canonical';
import { Db, type Sql } from '@stockbridge/persistence';

/**
 * The idempotent-consumer record (docs/messaging.md#the-inbox-an-exactly-once-effect). `claim` runs inside the transaction of the effect: the
 * event counts as handled exactly when the effect committed, so a redelivery changes nothing.
 */
export class Inbox {
  constructor(private readonly db: Db) {}

  /** True when this consumer had not handled the event yet (and now has, once the transaction commits). */
  async claim(sql: Sql, consumer: string, event: Pick<EventEnvelope, 'id' | 'type'>): Promise<boolean> {
    const res = await sql.query(
      `INSERT INTO inbox_events (consumer, event_id, event_type) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
      [consumer, event.id, event.type],
    );
    return res.rowCount === 1;
  }

  /**
   * For effects outside PostgreSQL (a call to a backend): checked before the call and recorded after it.
   * The call itself carries a business key the backend deduplicates on (the reservation id for the ERP and
   * the OMS), so a crash between the call and the record is harmless.
   */
  async handled(consumer: string, eventId: string): Promise<boolean> {
    const res = await this.db.query(`SELECT 1 FROM inbox_events WHERE consumer = $1 AND event_id = $2`, [
      consumer,
      eventId,
    ]);
    return (res.rowCount ?? 0) > 0;
  }

  async record(consumer: string, event: Pick<EventEnvelope, 'id' | 'type'>): Promise<void> {
    await this.claim(this.db, consumer, event);
  }

  /**
   * Runs a backend call for an event unless this consumer is known to have made it: checked before, recorded
   * after. Null when skipped. The call must be keyed by the backend (see `handled`).
   */
  async once<T>(
    consumer: string,
    event: Pick<EventEnvelope, 'id' | 'type'>,
    effect: () => Promise<T>,
  ): Promise<T | null> {
    if (await this.handled(consumer, event.id)) return null;
    const out = await effect();
    await this.record(consumer, event);
    return out;
  }

  /** Forgets entries older than the retention, far beyond any redelivery or replay window. */
  async purge(retentionDays: number, limit = 10_000): Promise<number> {
    const res = await this.db.query(
      `DELETE FROM inbox_events WHERE ctid IN (
         SELECT ctid FROM inbox_events WHERE processed_at < now() - make_interval(days => $1) LIMIT $2)`,
      [retentionDays, limit],
    );
    return res.rowCount ?? 0;
  }
}
