import type { Buckets, StockLevel } from '@stockbridge/canonical';
import type { PoolClient } from 'pg';
import type { Db } from './db';
import { ensureLevels, move } from './journal';
import { LedgerError } from './ledger.error';
import { kindRule, relativeDeltas, validateQuantity, type ExternalMovementKind } from './movement-kinds';
import { BUCKET_COLUMNS, toStockLevel, type LevelRow } from './rows';
import { resolveNegativeStock } from './stock-exceptions';

export interface MovementCommand {
  kind: ExternalMovementKind;
  sku: string;
  location: string;
  quantity: number;
  sourceSystem: string;
  sourceEventId: string;
  occurredAt?: Date | null;
  reason?: string | null;
  correlationId?: string | null;
}

export interface MovementOutcome {
  movementId: string;
  duplicate: boolean;
  level: StockLevel;
  deltas: Partial<Buckets>;
}

/** Stock movements reported by source systems, exactly once per (source system, source event id). */
export class Movements {
  constructor(private readonly db: Db) {}

  async apply(cmd: MovementCommand): Promise<MovementOutcome> {
    const [out] = await this.applyAll([cmd]);
    return out;
  }

  /** Applies several movements in one transaction: all of them or none (bulk loads, counts). */
  async applyAll(cmds: MovementCommand[]): Promise<MovementOutcome[]> {
    for (const cmd of cmds) {
      const invalid = validateQuantity(kindRule(cmd.kind), cmd.quantity);
      if (invalid) throw new LedgerError('invalid-movement', `${cmd.kind}: ${invalid}.`);
    }
    const current: { cmd?: MovementCommand } = {};
    try {
      return await this.db.tx(async (sql) => {
        const out: MovementOutcome[] = [];
        for (const cmd of cmds) {
          current.cmd = cmd;
          out.push(await this.applyOne(sql, cmd));
        }
        return out;
      });
    } catch (err) {
      const cmd = current.cmd;
      const code = (err as { code?: string }).code;
      if (cmd && code === '23514') {
        throw new LedgerError(
          'invariant-violation',
          `${cmd.kind} of ${cmd.quantity} for ${cmd.sku} at ${cmd.location} would leave a bucket negative or hold more than is on hand.`,
        );
      }
      if (cmd && cmds.length === 1 && code === '23505') {
        // A twin with the same source event id committed first: answer as a duplicate.
        const seen = await this.previous(this.db, cmd);
        if (seen) return [seen];
      }
      throw err;
    }
  }

  /**
   * Applies one movement inside the caller's transaction (a queue consumer records its inbox entry in the
   * same one). A movement that would break a bucket invariant raises `invariant-violation`; the caller's
   * transaction is then aborted.
   */
  async applyWithin(sql: PoolClient, cmd: MovementCommand): Promise<MovementOutcome> {
    const invalid = validateQuantity(kindRule(cmd.kind), cmd.quantity);
    if (invalid) throw new LedgerError('invalid-movement', `${cmd.kind}: ${invalid}.`);
    await sql.query('SAVEPOINT apply_movement');
    try {
      const out = await this.applyOne(sql, cmd);
      await sql.query('RELEASE SAVEPOINT apply_movement');
      return out;
    } catch (err) {
      if ((err as { code?: string }).code === '23514') {
        await sql.query('ROLLBACK TO SAVEPOINT apply_movement');
        throw new LedgerError(
          'invariant-violation',
          `${cmd.kind} of ${cmd.quantity} for ${cmd.sku} at ${cmd.location} would leave a bucket negative or hold more than is on hand.`,
        );
      }
      throw err;
    }
  }

  private async applyOne(sql: PoolClient, cmd: MovementCommand): Promise<MovementOutcome> {
    const rule = kindRule(cmd.kind);
    const seen = await this.previous(sql, cmd);
    if (seen) return seen;
    const refs = await sql.query<{ sku: boolean; location: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM skus WHERE sku = $1) AS sku, EXISTS (SELECT 1 FROM locations WHERE code = $2) AS location`,
      [cmd.sku, cmd.location],
    );
    if (!refs.rows[0].sku)
      throw new LedgerError('unknown-sku', `Unknown SKU "${cmd.sku}".`, { skus: [cmd.sku] });
    if (!refs.rows[0].location)
      throw new LedgerError('unknown-location', `Unknown location "${cmd.location}".`);
    await ensureLevels(sql, [{ sku: cmd.sku, location: cmd.location }]);

    let deltas: Partial<Buckets>;
    let oversold = 0;
    if (rule.quantity === 'absolute') {
      // Absolute kinds (counts, safety stock) become a delta against the row, read under its lock.
      const column = BUCKET_COLUMNS[rule.target!];
      const cur = await sql.query<{ value: string; oversold: string }>(
        `SELECT ${column} AS value, oversold FROM stock_levels WHERE sku = $1 AND location = $2 FOR UPDATE`,
        [cmd.sku, cmd.location],
      );
      deltas = { [rule.target!]: cmd.quantity - Number(cur.rows[0].value) };
      // A count is the physical truth: what the tills oversold is settled by it (docs/inventory-model.md).
      if (cmd.kind === 'count') oversold = Number(cur.rows[0].oversold);
      if (oversold > 0) deltas.oversold = -oversold;
    } else {
      deltas = relativeDeltas(rule, cmd.quantity);
    }
    const moved = await move(sql, {
      kind: cmd.kind,
      sku: cmd.sku,
      location: cmd.location,
      deltas,
      sourceSystem: cmd.sourceSystem,
      sourceEventId: cmd.sourceEventId,
      reason: cmd.reason,
      correlationId: cmd.correlationId,
      occurredAt: cmd.occurredAt,
      observation: rule.observation,
    });
    if (oversold > 0) await resolveNegativeStock(sql, cmd.sku, cmd.location, 'count', moved!.movement_id);
    return { movementId: moved!.movement_id, duplicate: false, level: toStockLevel(moved!), deltas };
  }

  private async previous(sql: Pick<Db, 'query'>, cmd: MovementCommand): Promise<MovementOutcome | null> {
    const res = await sql.query<
      LevelRow & { movement_id: string; movement_type: string; d_sku: string; d_location: string }
    >(
      `SELECT m.id AS movement_id, m.movement_type, m.sku AS d_sku, m.location AS d_location, s.*
       FROM stock_movements m JOIN stock_levels s ON s.sku = m.sku AND s.location = m.location
       WHERE m.source_system = $1 AND m.source_event_id = $2`,
      [cmd.sourceSystem, cmd.sourceEventId],
    );
    const row = res.rows[0];
    if (!row) return null;
    if (row.movement_type !== cmd.kind || row.d_sku !== cmd.sku || row.d_location !== cmd.location) {
      throw new LedgerError(
        'duplicate-event-conflict',
        `Event "${cmd.sourceEventId}" of ${cmd.sourceSystem} was already applied as a different movement.`,
      );
    }
    return { movementId: row.movement_id, duplicate: true, level: toStockLevel(row), deltas: {} };
  }

  /**
   * Stock levels ordered by SKU then location, filtered by SKU and/or location; with `after` only those past
   * that (sku, location), with `limit` at most that many (a page of a keyset-paged list).
   */
  async levels(
    filter: { sku?: string; location?: string; after?: readonly [string, string]; limit?: number } = {},
  ): Promise<StockLevel[]> {
    const res = await this.db.query<LevelRow>(
      `SELECT * FROM stock_levels WHERE ($1::text IS NULL OR sku = $1) AND ($2::text IS NULL OR location = $2)
         AND ($3::text IS NULL OR (sku, location) > ($3, $4))
       ORDER BY sku, location LIMIT $5`,
      [
        filter.sku ?? null,
        filter.location ?? null,
        filter.after?.[0] ?? null,
        filter.after?.[1] ?? null,
        filter.limit ?? null,
      ],
    );
    return res.rows.map(toStockLevel);
  }

  /**
   * Rebuilds every level from the journal alone. Equal to the stored levels when the ledger is sound;
   * the property tests and reconciliation compare the two.
   */
  async replayJournal(): Promise<Map<string, Buckets>> {
    const res = await this.db.query<Record<string, string>>(
      `SELECT sku, location, sum(d_on_hand) AS on_hand, sum(d_reserved) AS reserved, sum(d_allocated) AS allocated,
         sum(d_damaged) AS damaged, sum(d_quality_control) AS quality_control, sum(d_incoming) AS incoming,
         sum(d_safety_stock) AS safety_stock, sum(d_oversold) AS oversold
       FROM stock_movements GROUP BY sku, location`,
    );
    const out = new Map<string, Buckets>();
    for (const r of res.rows) {
      out.set(`${r.sku}@${r.location}`, {
        onHand: Number(r.on_hand),
        reserved: Number(r.reserved),
        allocated: Number(r.allocated),
        damaged: Number(r.damaged),
        qualityControl: Number(r.quality_control),
        incoming: Number(r.incoming),
        safetyStock: Number(r.safety_stock),
        oversold: Number(r.oversold),
      });
    }
    return out;
  }
}
