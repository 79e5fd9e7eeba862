import type { PoolClient } from 'pg';
import type { Db, Sql } from './db';

/**
 * What went wrong with stock that operators must look at. `negative-stock`: a store's tills sold more than the
 * ledger had free there (the level is oversold and shows 0 until counted). Other kinds (e.g.
 * `marketplace-oversell`) use the same table; the kind is free text of lowercase letters, digits and "-".
 */
export type StockExceptionKind = 'negative-stock' | (string & {});

export type StockExceptionStatus = 'open' | 'resolved';

export interface StockException {
  id: string;
  kind: StockExceptionKind;
  sku: string;
  location: string | null;
  /** What it is about, e.g. the store transaction or the order that caused it. */
  reference: string | null;
  details: Record<string, unknown>;
  status: StockExceptionStatus;
  openedAt: Date;
  resolvedAt: Date | null;
  /** `count` or `void` when the ledger resolved it; the operator's name when an operator did. */
  resolvedBy: string | null;
  /** What resolved it, e.g. the count that set on hand. */
  resolution: string | null;
  /** The operator's note. */
  note: string | null;
}

interface Row {
  id: string;
  kind: string;
  sku: string;
  location: string | null;
  reference: string | null;
  details: Record<string, unknown>;
  status: StockExceptionStatus;
  opened_at: Date;
  opened_at_text: string;
  resolved_at: Date | null;
  resolved_by: string | null;
  resolution: string | null;
  note: string | null;
}

function toException(r: Row): StockException {
  return {
    id: r.id,
    kind: r.kind,
    sku: r.sku,
    location: r.location,
    reference: r.reference,
    details: r.details,
    status: r.status,
    openedAt: r.opened_at,
    resolvedAt: r.resolved_at,
    resolvedBy: r.resolved_by,
    resolution: r.resolution,
    note: r.note,
  };
}

/** The partial unique index that keeps one open `negative-stock` exception per (SKU, location). */
export const ONE_OPEN_NEGATIVE_STOCK = `(sku, location) WHERE kind = 'negative-stock' AND status = 'open'`;

/**
 * Opens a `negative-stock` exception for a level whose oversold units went from 0 to more, inside the caller's
 * transaction; none when one is open already (the partial unique index keeps one open per SKU and location).
 */
export async function openNegativeStock(
  sql: Sql,
  e: { sku: string; location: string; reference: string; details: Record<string, unknown> },
): Promise<void> {
  await sql.query(
    `INSERT INTO stock_exceptions (kind, sku, location, reference, details)
     VALUES ('negative-stock', $1, $2, $3, $4::jsonb)
     ON CONFLICT ${ONE_OPEN_NEGATIVE_STOCK} DO NOTHING`,
    [e.sku, e.location, e.reference, JSON.stringify(e.details)],
  );
}

/**
 * Resolves the open `negative-stock` exception of a level whose oversold units were settled (by a count, or
 * by the void of the sale that oversold), inside the caller's transaction.
 */
export async function resolveNegativeStock(
  sql: Sql,
  sku: string,
  location: string,
  by: 'count' | 'void',
  movementId: string,
): Promise<void> {
  await sql.query(
    `UPDATE stock_exceptions SET status = 'resolved', resolved_at = clock_timestamp(), resolved_by = $3,
       resolution = $4
     WHERE kind = 'negative-stock' AND sku = $1 AND location = $2 AND status = 'open'`,
    [
      sku,
      location,
      by,
      by === 'count'
        ? `Counted: oversold reset to 0 by movement ${movementId}.`
        : `The sale that oversold was voided: oversold back to 0 by movement ${movementId}.`,
    ],
  );
}

/** A page of the exceptions list: newest first, after the (opened at, id) of the page before. */
export interface StockExceptionFilter {
  kind?: string;
  status: StockExceptionStatus | 'all';
  /** The sort key of the last item of the page before: opened_at as PostgreSQL's text, and the id. */
  after?: readonly [string, string];
  limit: number;
}

/** Thrown by resolve: no such exception, or one already resolved. */
export class StockExceptionNotFound extends Error {}
export class StockExceptionAlreadyResolved extends Error {
  constructor(readonly exception: StockException) {
    super(`Stock exception ${exception.id} was already resolved by ${exception.resolvedBy ?? 'someone'}.`);
  }
}

/** The stock exceptions for operators: listed, read, resolved with a note (resolving moves no stock). */
export class StockExceptions {
  constructor(private readonly db: Db) {}

  /** Newest first by (opened at, id); the sort key of each is returned for the cursor. */
  async list(filter: StockExceptionFilter): Promise<{ exception: StockException; key: [string, string] }[]> {
    const res = await this.db.query<Row>(
      `SELECT *, opened_at::text AS opened_at_text FROM stock_exceptions
       WHERE ($1::text IS NULL OR kind = $1) AND ($2::text = 'all' OR status = $2)
         AND ($3::timestamptz IS NULL OR (opened_at, id) < ($3::timestamptz, $4::uuid))
       ORDER BY opened_at DESC, id DESC LIMIT $5`,
      [
        filter.kind ?? null,
        filter.status,
        filter.after?.[0] ?? null,
        filter.after?.[1] ?? null,
        filter.limit,
      ],
    );
    return res.rows.map((r) => ({ exception: toException(r), key: [r.opened_at_text, r.id] }));
  }

  async get(id: string): Promise<StockException | null> {
    const res = await this.db.query<Row>(
      `SELECT *, opened_at::text AS opened_at_text FROM stock_exceptions WHERE id = $1`,
      [id],
    );
    return res.rows[0] ? toException(res.rows[0]) : null;
  }

  /**
   * Resolves an open exception on an operator's behalf with their note; `record` runs in the same transaction
   * (the audit entry), so the log never claims a resolution that did not happen. Stock does not move.
   */
  async resolve(
    id: string,
    actor: string,
    note: string | null,
    record: (sql: PoolClient, resolved: StockException) => Promise<void>,
  ): Promise<StockException> {
    return this.db.tx(async (sql) => {
      const res = await sql.query<Row>(
        `SELECT *, opened_at::text AS opened_at_text FROM stock_exceptions WHERE id = $1 FOR UPDATE`,
        [id],
      );
      if (!res.rows[0]) throw new StockExceptionNotFound(`No stock exception ${id}.`);
      if (res.rows[0].status === 'resolved')
        throw new StockExceptionAlreadyResolved(toException(res.rows[0]));
      const updated = await sql.query<Row>(
        `UPDATE stock_exceptions SET status = 'resolved', resolved_at = clock_timestamp(), resolved_by = $2,
           resolution = 'Resolved by an operator.', note = $3
         WHERE id = $1 RETURNING *, opened_at::text AS opened_at_text`,
        [id, actor, note],
      );
      const resolved = toException(updated.rows[0]);
      await record(sql, resolved);
      return resolved;
    });
  }
}
