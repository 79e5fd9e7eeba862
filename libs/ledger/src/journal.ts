import type { Buckets } from '@stockbridge/canonical';
import type { PoolClient } from 'pg';
import { prepared, type Sql } from './db';
import { AVAILABLE_SQL, BUCKET_COLUMNS, type LevelRow } from './rows';
import type { MovementKind } from './movement-kinds';

export interface MovementSpec {
  kind: MovementKind;
  sku: string;
  location: string;
  deltas: Partial<Buckets>;
  sourceSystem: string;
  sourceEventId?: string | null;
  reservationId?: string | null;
  reason?: string | null;
  correlationId?: string | null;
  occurredAt?: Date | null;
  /** Refreshes the level's `synced_at` (a source system observed this stock). */
  observation?: boolean;
}

export interface MovedLevel extends LevelRow {
  movement_id: string;
}

const BUCKET_KEYS = Object.keys(BUCKET_COLUMNS) as (keyof Buckets)[];

/**
 * Changes one level by the deltas and appends its movement with the resulting version, in one statement, so
 * that neither happens without the other. Every change of a quantity goes through here but one: creating a
 * reservation holds all its lines at once in the single statement of `Reservations.hold` (one round trip
 * per checkout), which updates `reserved` under the same guard and journals each line the same way — keep
 * the two in step. With `requireAvailable`, the update only happens when available-to-sell at that location
 * covers it — the never-oversell guard, decided by PostgreSQL under the row lock, not by a read in
 * TypeScript. Returns null when the guard refused. The level row must exist (see ensureLevels).
 */
export async function move(
  sql: PoolClient,
  spec: MovementSpec,
  requireAvailable?: number,
): Promise<MovedLevel | null> {
  const d = BUCKET_KEYS.map((k) => spec.deltas[k] ?? 0);
  const params: unknown[] = [spec.sku, spec.location, ...d];
  const sets = BUCKET_KEYS.map((k, i) => `${BUCKET_COLUMNS[k]} = s.${BUCKET_COLUMNS[k]} + $${i + 3}::bigint`);
  let guard = '';
  if (requireAvailable !== undefined) {
    params.push(requireAvailable);
    guard = `AND ${AVAILABLE_SQL} >= $${params.length}::bigint`;
  }
  params.push(
    spec.kind,
    spec.sourceSystem,
    spec.sourceEventId ?? null,
    spec.reservationId ?? null,
    spec.reason ?? null,
    spec.correlationId ?? null,
    spec.occurredAt ?? new Date(),
  );
  const p = params.length - 7; // index before the movement parameters
  const text = `
    WITH upd AS (
      UPDATE stock_levels s SET ${sets.join(', ')}, version = s.version + 1, updated_at = now()
        ${spec.observation ? ', synced_at = now()' : ''}
      WHERE s.sku = $1 AND s.location = $2 ${guard}
      RETURNING s.*
    ), mv AS (
      INSERT INTO stock_movements (movement_type, sku, location, d_on_hand, d_reserved, d_allocated, d_damaged,
        d_quality_control, d_incoming, d_safety_stock, d_oversold, level_version, source_system, source_event_id,
        reservation_id, reason, correlation_id, occurred_at)
      SELECT $${p + 1}, upd.sku, upd.location, $3, $4, $5, $6, $7, $8, $9, $10, upd.version, $${p + 2}, $${p + 3},
        $${p + 4}::uuid, $${p + 5}, $${p + 6}, $${p + 7}::timestamptz
      FROM upd
      RETURNING id
    )
    SELECT upd.*, (SELECT id FROM mv) AS movement_id FROM upd`;
  const res = await sql.query<MovedLevel>(prepared(text, params));
  return res.rows[0] ?? null;
}

/** Creates missing level rows (all zero) so that movements always have a row to lock and update. */
export async function ensureLevels(sql: Sql, pairs: { sku: string; location: string }[]): Promise<void> {
  if (pairs.length === 0) return;
  await sql.query(
    `INSERT INTO stock_levels (sku, location)
     SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING`,
    [pairs.map((p) => p.sku), pairs.map((p) => p.location)],
  );
}

/** Sorts by (sku, location) so that every transaction locks level rows in the same order: no deadlocks. */
export function lockOrder<T extends { sku: string; location: string }>(items: T[]): T[] {
  return [...items].sort((a, b) =>
    a.sku === b.sku
      ? a.location < b.location
        ? -1
        : a.location > b.location
          ? 1
          : 0
      : a.sku < b.sku
        ? -1
        : 1,
  );
}
