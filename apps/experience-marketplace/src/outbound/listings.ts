import { Injectable } from '@nestjs/common';
import { Db } from '@stockbridge/persistence';

/** A listing due for a push, as claimed by the pusher. */
export interface DueListing {
  sku: string;
  /** The change count when claimed: the push settles the listing only if no change came since. */
  generation: number;
  sentQuantity: number | null;
  refusedQuantity: number | null;
  /** The marketplace refused the last figure: `unlisted` (it does not list the SKU) or `refused` (that figure). */
  refusal: Refusal | null;
  attempts: number;
}

export type Refusal = 'unlisted' | 'refused';

/** What became of one claimed listing. */
export type Settlement =
  /** The marketplace applied `quantity`. */
  | { sku: string; generation: number; kind: 'sent'; quantity: number; staleAt: string | null }
  /** Nothing to send: the marketplace holds the figure already (or refused it before). */
  | { sku: string; generation: number; kind: 'unchanged'; staleAt: string | null }
  /** Not sent: the marketplace does not list the SKU (its refusal is still open). */
  | { sku: string; generation: number; kind: 'held' }
  /** The marketplace refused `quantity` (dead-lettered with its reason). */
  | {
      sku: string;
      generation: number;
      kind: 'refused';
      quantity: number;
      refusal: Refusal;
      error: string;
    }
  /** The read model does not know the SKU (no longer in the catalog): nothing is sent. */
  | { sku: string; generation: number; kind: 'unknown' };

export interface ListingCounts {
  pending: number;
  /** Age of the oldest pending change, in seconds (0 when none is pending). */
  oldestPendingSeconds: number;
  refused: number;
  total: number;
}

const dedupe = (skus: string[]) => [...new Set(skus)].sort();

/**
 * The marketplace channel's listings in PostgreSQL (table `marketplace_listings`): the durable, coalesced
 * record of which SKUs the marketplace must be told about. A change marks a SKU pending and bumps its
 * generation; a push settles it only when its generation is unchanged, so a SKU changed while its push was in
 * flight stays pending and its latest figure goes next. Multi-row writes run in a transaction, which Db
 * retries on deadlock (rows are taken in SKU order).
 */
@Injectable()
export class Listings {
  constructor(private readonly db: Db) {}

  /**
   * Marks SKUs pending (a change; a replay, which also forgets the SKU's refusal): a SKU already pending keeps
   * its place in the line.
   */
  async markChanged(channel: string, skus: string[], clearRefusal = false): Promise<void> {
    const list = dedupe(skus);
    if (list.length === 0) return;
    await this.db.tx((sql) =>
      sql.query(
        `INSERT INTO marketplace_listings AS l (channel, sku, pending, pending_since, next_attempt_at)
         SELECT $1, s, true, now(), now() FROM unnest($2::text[]) AS s ORDER BY s
         ON CONFLICT (channel, sku) DO UPDATE SET
           generation = l.generation + 1,
           pending_since = CASE WHEN l.pending THEN l.pending_since ELSE now() END,
           next_attempt_at = CASE WHEN l.pending THEN l.next_attempt_at ELSE now() END,
           pending = true,
           refused_quantity = CASE WHEN $3 THEN NULL ELSE l.refused_quantity END,
           refusal = CASE WHEN $3 THEN NULL ELSE l.refusal END,
           updated_at = now()`,
        [channel, list, clearRefusal],
      ),
    );
  }

  /**
   * A resync's batch of SKUs the marketplace lists: each pending, with the marketplace's quantity taken as what
   * was sent, so that only figures that differ go out; a refusal for want of the listing is forgotten (the
   * listing is there now). Answers how many differed from what the platform believed.
   */
  async markResync(channel: string, skus: string[], listed: Map<string, number>): Promise<number> {
    const list = dedupe(skus);
    if (list.length === 0) return 0;
    const res = await this.db.tx((sql) =>
      sql.query<{ corrected: string }>(
        `WITH v AS (SELECT * FROM unnest($2::text[], $3::int[]) AS v(sku, listed)),
         old AS (
           SELECT l.sku, l.sent_quantity FROM marketplace_listings l JOIN v ON v.sku = l.sku
            WHERE l.channel = $1 ORDER BY l.sku FOR UPDATE
         ),
         up AS (
           INSERT INTO marketplace_listings AS l (channel, sku, pending, pending_since, next_attempt_at, sent_quantity)
           SELECT $1, v.sku, true, now(), now(), v.listed FROM v ORDER BY v.sku
           ON CONFLICT (channel, sku) DO UPDATE SET
             generation = l.generation + 1,
             pending_since = CASE WHEN l.pending THEN l.pending_since ELSE now() END,
             next_attempt_at = CASE WHEN l.pending THEN l.next_attempt_at ELSE now() END,
             pending = true,
             sent_quantity = EXCLUDED.sent_quantity,
             refused_quantity = CASE WHEN l.refusal = 'unlisted' THEN NULL ELSE l.refused_quantity END,
             refusal = CASE WHEN l.refusal = 'unlisted' THEN NULL ELSE l.refusal END,
             updated_at = now()
           RETURNING 1
         )
         SELECT (SELECT count(*) FROM up) AS written,
                count(*) FILTER (WHERE old.sent_quantity IS DISTINCT FROM v.listed) AS corrected
           FROM v LEFT JOIN old ON old.sku = v.sku`,
        [channel, list, list.map((s) => listed.get(s) ?? null)],
      ),
    );
    return Number(res.rows[0].corrected);
  }

  /** Marks pending the listings whose figure turned stale since it was sent; answers how many. */
  async markStale(channel: string): Promise<number> {
    const res = await this.db.tx((sql) =>
      sql.query(
        `UPDATE marketplace_listings SET pending = true, pending_since = now(), next_attempt_at = now(),
           generation = generation + 1, updated_at = now()
         WHERE (channel, sku) IN (
           SELECT channel, sku FROM marketplace_listings
            WHERE channel = $1 AND stale_at IS NOT NULL AND stale_at <= now() AND NOT pending
            ORDER BY sku FOR UPDATE
         )`,
        [channel],
      ),
    );
    return res.rowCount ?? 0;
  }

  /** Up to `limit` pending listings whose turn has come, longest waiting first. */
  async due(channel: string, limit: number): Promise<DueListing[]> {
    const res = await this.db.query<{
      sku: string;
      generation: string;
      sent_quantity: number | null;
      refused_quantity: number | null;
      refusal: Refusal | null;
      attempts: number;
    }>(
      `SELECT sku, generation, sent_quantity, refused_quantity, refusal, attempts FROM marketplace_listings
        WHERE channel = $1 AND pending AND next_attempt_at <= now()
        ORDER BY next_attempt_at, sku LIMIT $2`,
      [channel, limit],
    );
    return res.rows.map((r) => ({
      sku: r.sku,
      generation: Number(r.generation),
      sentQuantity: r.sent_quantity,
      refusedQuantity: r.refused_quantity,
      refusal: r.refusal,
      attempts: r.attempts,
    }));
  }

  /**
   * Records what became of claimed listings. Each leaves `pending` only if no change came after it was claimed
   * (same generation); one that changed goes to the back of the line with its newer figure still to send.
   */
  async settle(channel: string, outcomes: Settlement[]): Promise<void> {
    if (outcomes.length === 0) return;
    const sorted = [...outcomes].sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
    const field = <T>(pick: (s: Settlement) => T | undefined) => sorted.map((s) => pick(s) ?? null);
    await this.db.tx((sql) =>
      sql.query(
        `UPDATE marketplace_listings l SET
           sent_quantity = CASE WHEN v.kind = 'sent' THEN v.quantity ELSE l.sent_quantity END,
           sent_at = CASE WHEN v.kind = 'sent' THEN now() ELSE l.sent_at END,
           -- A refusal leaves the marketplace's figure as it was, and it turns stale when it was due to.
           stale_at = CASE WHEN v.kind IN ('sent', 'unchanged') THEN v.stale_at
                           WHEN v.kind = 'refused' AND l.stale_at > now() THEN l.stale_at END,
           refused_quantity = CASE WHEN v.kind = 'refused' THEN v.quantity
                                   WHEN v.kind = 'sent' THEN NULL ELSE l.refused_quantity END,
           refusal = CASE WHEN v.kind = 'refused' THEN v.refusal WHEN v.kind = 'sent' THEN NULL ELSE l.refusal END,
           last_error = CASE WHEN v.kind = 'held' THEN l.last_error ELSE v.error END,
           attempts = 0,
           pending = l.generation <> v.generation,
           pending_since = CASE WHEN l.generation <> v.generation THEN l.pending_since END,
           next_attempt_at = now(),
           updated_at = now()
         FROM unnest($2::text[], $3::bigint[], $4::text[], $5::int[], $6::timestamptz[], $7::text[], $8::text[])
           AS v(sku, generation, kind, quantity, stale_at, error, refusal)
         WHERE l.channel = $1 AND l.sku = v.sku`,
        [
          channel,
          field((s) => s.sku),
          field((s) => s.generation),
          field((s) => s.kind),
          field((s) => ('quantity' in s ? s.quantity : null)),
          field((s) => ('staleAt' in s ? s.staleAt : null)),
          field((s) =>
            s.kind === 'refused'
              ? s.error
              : s.kind === 'unknown'
                ? 'the read model does not know the SKU'
                : null,
          ),
          field((s) => (s.kind === 'refused' ? s.refusal : null)),
        ],
      ),
    );
  }

  /** A failed call: each listing stays pending and waits its own backoff (`retryInMs`) before its next try. */
  async postpone(
    channel: string,
    retries: { sku: string; retryInMs: number }[],
    error: string,
  ): Promise<void> {
    if (retries.length === 0) return;
    const sorted = [...retries].sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
    await this.db.tx((sql) =>
      sql.query(
        `UPDATE marketplace_listings l SET attempts = l.attempts + 1, last_error = $4,
           next_attempt_at = now() + make_interval(secs => v.ms / 1000.0), updated_at = now()
         FROM unnest($2::text[], $3::int[]) AS v(sku, ms)
         WHERE l.channel = $1 AND l.sku = v.sku AND l.pending`,
        [channel, sorted.map((r) => r.sku), sorted.map((r) => Math.round(r.retryInMs)), error.slice(0, 2000)],
      ),
    );
  }

  async counts(channel: string): Promise<ListingCounts> {
    const res = await this.db.query<{
      pending: string;
      oldest: number | null;
      refused: string;
      total: string;
    }>(
      `SELECT count(*) FILTER (WHERE pending) AS pending,
              extract(epoch FROM now() - min(pending_since))::float8 AS oldest,
              count(*) FILTER (WHERE refusal IS NOT NULL) AS refused,
              count(*) AS total
         FROM marketplace_listings WHERE channel = $1`,
      [channel],
    );
    const r = res.rows[0];
    return {
      pending: Number(r.pending),
      oldestPendingSeconds: Math.max(0, r.oldest ?? 0),
      refused: Number(r.refused),
      total: Number(r.total),
    };
  }
}
