import { Processor } from '@nestjs/bullmq';
import type { StockMovedEvent } from '@stockbridge/canonical';
import { Metrics } from '@stockbridge/app-platform';
import {
  EXTERNAL_MOVEMENT_KINDS,
  type ExternalMovementKind,
  LedgerError,
  Movements,
} from '@stockbridge/ledger';
import { Inbox, PermanentError, ReliableWorker, WorkerSupport, workerOptions } from '@stockbridge/messaging';
import { Db } from '@stockbridge/persistence';
import type { Job } from 'bullmq';
import type { Histogram } from 'prom-client';
import { AvailabilityPublisher } from '../availability/availability-publisher.service';

export type ApplyStockMovementPayload = StockMovedEvent;

const CONSUMER = 'process-reservations';
const KINDS = new Set<string>(EXTERNAL_MOVEMENT_KINDS);

/** Checks the shape of a received event; a malformed one can never succeed, so it is a permanent error. */
export function stockMovedCommand(event: unknown): StockMovedEvent {
  const e = event as Partial<StockMovedEvent> | null;
  const p = e?.payload;
  const problems: string[] = [];
  if (!e || typeof e.id !== 'string' || e.type !== 'inventory.stock-moved')
    problems.push('not an inventory.stock-moved envelope');
  else if (!p || typeof p !== 'object') problems.push('payload missing');
  else {
    if (!KINDS.has(p.movementType)) problems.push(`unknown movementType "${String(p.movementType)}"`);
    for (const k of ['sku', 'location', 'sourceSystem', 'sourceEventId'] as const) {
      if (typeof p[k] !== 'string' || p[k].length === 0) problems.push(`${k} missing`);
    }
    if (!Number.isSafeInteger(p.quantity)) problems.push('quantity must be an integer');
  }
  if (problems.length > 0)
    throw new PermanentError('validation', `Invalid stock movement event: ${problems.join('; ')}.`);
  return e as StockMovedEvent;
}

/**
 * Applies a stock movement reported by a source system, exactly once: the inbox entry and the ledger
 * movement commit in one transaction, and the ledger's (source system, source event id) key backs it up.
 */
@Processor('inventory.stock-moved', workerOptions('inventory.stock-moved'))
export class ApplyStockMovementJob extends ReliableWorker<ApplyStockMovementPayload> {
  private readonly lag: Histogram<'source'>;

  constructor(
    support: WorkerSupport,
    private readonly db: Db,
    private readonly inbox: Inbox,
    private readonly movements: Movements,
    private readonly publisher: AvailabilityPublisher,
    metrics: Metrics,
  ) {
    super('inventory.stock-moved', support);
    this.lag = metrics.histogram(
      'stock_movement_apply_lag_seconds',
      'From the movement occurring at the source to its commit in the ledger',
      ['source'],
      [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
    );
  }

  protected async handle(job: Job<ApplyStockMovementPayload>): Promise<{ applied: boolean }> {
    const event = stockMovedCommand(job.data);
    const p = event.payload;
    try {
      const out = await this.db.tx(async (sql) => {
        if (!(await this.inbox.claim(sql, CONSUMER, event))) return null;
        return this.movements.applyWithin(sql, {
          kind: p.movementType as ExternalMovementKind,
          sku: p.sku,
          location: p.location,
          quantity: p.quantity,
          sourceSystem: p.sourceSystem,
          sourceEventId: p.sourceEventId,
          occurredAt: new Date(event.occurredAt),
          reason: p.reason,
          correlationId: event.correlationId,
        });
      });
      if (!out || out.duplicate) return { applied: false };
      this.publisher.markDirty([p.sku]);
      this.lag.observe(
        { source: p.sourceSystem },
        Math.max(0, (Date.now() - Date.parse(event.occurredAt)) / 1000),
      );
      return { applied: true };
    } catch (err) {
      if (err instanceof LedgerError) {
        switch (err.code) {
          case 'unknown-sku':
          case 'unknown-location':
          case 'invalid-movement':
          case 'duplicate-event-conflict':
            throw new PermanentError('validation', err.message, { code: err.code });
          default:
            // invariant-violation and the rest: an earlier movement may still be on its way (reordering).
            throw err;
        }
      }
      throw err;
    }
  }
}
