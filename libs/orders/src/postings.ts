import type { PostingKind, PostingRequestedPayload } from '@stockbridge/canonical';
import { deterministicEventId, envelope, writeOutbox } from '@stockbridge/messaging';
import type { Sql } from '@stockbridge/persistence';
import type { PoolClient } from 'pg';

/** One accounting entry to book, before it is recorded. */
export interface PostingDraft {
  /** Unique per entry and stable across retries (e.g. `revenue:<WMS shipment event id>`). */
  postingKey: string;
  kind: PostingKind;
  channel: string;
  orderId: string | null;
  rmaId: string | null;
  reference: string;
  /** The platform's reason (e.g. `return-damaged`); its ERP code comes from posting_reason_codes. */
  reason: string | null;
  lines: { sku: string; location: string | null; quantity: number; amountCents: number }[];
}

export interface PostingContext {
  source: string;
  correlationId: string | null;
  causationId?: string | null;
}

/** Today's business date (UTC). */
export function businessDate(at: Date = new Date()): string {
  return at.toISOString().slice(0, 10);
}

/**
 * Accounting entries, kept apart from stock movements: an operational event (a shipment, a graded return)
 * asks for postings here; they reach the ERP through system-erp, each at most once by its posting key.
 */
export class Postings {
  /**
   * Records the posting in the caller's transaction. In the channel's `per-event` mode its
   * `finance.posting-requested` event goes to the outbox with it; in `daily-summary` mode it waits for the
   * day's summary. Recording a key twice changes nothing (returns false).
   */
  static async request(sql: PoolClient, draft: PostingDraft, ctx: PostingContext): Promise<boolean> {
    const amount = draft.lines.reduce((sum, l) => sum + l.amountCents, 0);
    const res = await sql.query<{ status: string; reason_code: string | null; business_date: string }>(
      `INSERT INTO financial_postings (posting_key, kind, channel, order_id, rma_id, amount_cents, reason_code,
         business_date, lines, status)
       SELECT $1, $2, $3, $4, $5, $6, (SELECT erp_code FROM posting_reason_codes WHERE reason = $7),
         (now() AT TIME ZONE 'UTC')::date, $8::jsonb,
         CASE WHEN c.posting_mode = 'daily-summary' THEN 'pending' ELSE 'requested' END
       FROM channels c WHERE c.code = $3
       ON CONFLICT (posting_key) DO NOTHING
       RETURNING status, reason_code, to_char(business_date, 'YYYY-MM-DD') AS business_date`,
      [
        draft.postingKey,
        draft.kind,
        draft.channel,
        draft.orderId,
        draft.rmaId,
        amount,
        draft.reason,
        JSON.stringify(draft.lines),
      ],
    );
    const row = res.rows[0];
    if (!row) return false;
    if (row.status === 'requested') {
      await writeOutbox(sql, [
        postingEvent(
          {
            postingKey: draft.postingKey,
            kind: draft.kind,
            channel: draft.channel,
            amountCents: amount,
            currency: 'USD',
            businessDate: row.business_date,
            reference: draft.reference,
            reasonCode: row.reason_code,
            lines: draft.lines,
          },
          ctx,
        ),
      ]);
    }
    return true;
  }

  /**
   * Books the pending postings of channels in `daily-summary` mode for days before `today`: one summary
   * posting per channel, day and kind (key `summary:<channel>:<day>:<kind>`), asked of the ERP like any
   * other. Safe to run on several replicas (row locks, conflict-free keys). Returns the summary keys made.
   */
  static async summarise(sql: PoolClient, today: string, ctx: PostingContext): Promise<string[]> {
    const groups = await sql.query<{
      channel: string;
      day: string;
      kind: PostingKind;
      amount: string;
      lines: PostingRequestedPayload['lines'];
    }>(
      `WITH due AS (
         SELECT * FROM financial_postings WHERE status = 'pending' AND business_date < $1::date
         FOR UPDATE SKIP LOCKED
       )
       SELECT channel, to_char(business_date, 'YYYY-MM-DD') AS day, kind, sum(amount_cents) AS amount,
         (SELECT coalesce(json_agg(l), '[]'::json) FROM due d2, jsonb_array_elements(d2.lines) l
           WHERE d2.channel = due.channel AND d2.business_date = due.business_date AND d2.kind = due.kind) AS lines
       FROM due GROUP BY channel, business_date, kind ORDER BY channel, business_date, kind`,
      [today],
    );
    const keys: string[] = [];
    for (const g of groups.rows) {
      const key = `summary:${g.channel}:${g.day}:${g.kind}`;
      const lines = mergeLines(g.lines);
      await sql.query(
        `INSERT INTO financial_postings (posting_key, kind, channel, amount_cents, business_date, lines, status)
         VALUES ($1, $2, $3, $4, $5::date, $6::jsonb, 'requested') ON CONFLICT (posting_key) DO NOTHING`,
        [key, g.kind, g.channel, Number(g.amount), g.day, JSON.stringify(lines)],
      );
      await sql.query(
        `UPDATE financial_postings SET status = 'requested', summary_key = $1
         WHERE status = 'pending' AND channel = $2 AND business_date = $3::date AND kind = $4`,
        [key, g.channel, g.day, g.kind],
      );
      await writeOutbox(sql, [
        postingEvent(
          {
            postingKey: key,
            kind: g.kind,
            channel: g.channel,
            amountCents: Number(g.amount),
            currency: 'USD',
            businessDate: g.day,
            reference: `daily summary ${g.channel} ${g.day}`,
            reasonCode: null,
            lines,
          },
          ctx,
        ),
      ]);
      keys.push(key);
    }
    return keys;
  }

  /**
   * Marks a posting (and, for a summary, the postings it summed) as booked by the ERP. Returns the orders
   * whose postings those were, so that their settlement can be checked.
   */
  static async acknowledge(sql: PoolClient, postingKey: string, erpReference: string): Promise<string[]> {
    const res = await sql.query<{ order_id: string | null }>(
      `UPDATE financial_postings SET status = 'posted', erp_reference = $2, posted_at = clock_timestamp()
       WHERE (posting_key = $1 OR summary_key = $1) AND status <> 'posted'
       RETURNING order_id`,
      [postingKey, erpReference],
    );
    return [...new Set(res.rows.map((r) => r.order_id).filter((id): id is string => id !== null))];
  }

  /** Whether every revenue and cost posting of the order is booked (and there is at least one of each). */
  static async salesBooked(sql: Sql, orderId: string): Promise<boolean> {
    const res = await sql.query<{ booked: boolean }>(
      `SELECT count(*) FILTER (WHERE kind = 'revenue') > 0 AND count(*) FILTER (WHERE kind = 'cost-of-goods') > 0
         AND count(*) FILTER (WHERE status <> 'posted') = 0 AS booked
       FROM financial_postings WHERE order_id = $1 AND kind IN ('revenue', 'cost-of-goods')`,
      [orderId],
    );
    return res.rows[0].booked;
  }
}

function postingEvent(payload: PostingRequestedPayload, ctx: PostingContext) {
  return envelope('finance.posting-requested', payload, {
    // One event per posting key: a second request of the same key can never become a second job.
    id: deterministicEventId(`posting/${payload.postingKey}`),
    source: ctx.source,
    partitionKey: payload.postingKey,
    correlationId: ctx.correlationId ?? undefined,
    causationId: ctx.causationId ?? null,
  });
}

/** Sums summary lines per SKU and location. */
function mergeLines(lines: PostingRequestedPayload['lines']): PostingRequestedPayload['lines'] {
  const out = new Map<string, PostingRequestedPayload['lines'][number]>();
  for (const l of lines) {
    const key = `${l.sku}|${l.location ?? ''}`;
    const prev = out.get(key);
    if (prev) {
      prev.quantity += l.quantity;
      prev.amountCents += l.amountCents;
    } else out.set(key, { ...l });
  }
  return [...out.values()];
}
