import type { EventType } from '@stockbridge/canonical';
import type { BackoffOptions, JobsOptions } from 'bullmq';

/** One queue: what it carries, who consumes it, and its retry policy (docs/architecture.md#code-conventions: retry policy is data). */
export interface QueueDefinition {
  /**
   * The event type its jobs carry; `native` for a system app's own intake of a backend's messages,
   * `command` for work an app asks of itself (and of its other replicas).
   */
  carries: EventType | 'native' | 'command';
  /** The app whose workers take its jobs. */
  consumer: string;
  attempts: number;
  backoff: BackoffOptions & { type: 'exponential' };
  /** Parallel jobs per worker process. */
  concurrency: number;
  /** Calls per duration across all workers of the queue: the backend's rate limit. */
  limiter?: { max: number; duration: number };
}

export const QUEUES = {
  /** Stock movements reported by source systems, applied to the ledger by process-reservations. */
  'inventory.stock-moved': {
    carries: 'inventory.stock-moved',
    consumer: 'process-reservations',
    attempts: 8,
    backoff: { type: 'exponential', delay: 500, jitter: 0.5 },
    concurrency: 16,
  },
  /** Webhooks received from the WMS, verified and stored as they came; system-wms translates them. */
  'wms.inbound-events': {
    carries: 'native',
    consumer: 'system-wms',
    attempts: 8,
    backoff: { type: 'exponential', delay: 500, jitter: 0.5 },
    concurrency: 16,
  },
  /** Confirmed reservations to be committed in the ERP. */
  'erp.commitments': {
    carries: 'reservation.confirmed',
    consumer: 'system-erp',
    attempts: 10,
    backoff: { type: 'exponential', delay: 1000, jitter: 0.5 },
    concurrency: 8,
    limiter: { max: 50, duration: 1000 },
  },
  /** Confirmed reservations to be created as orders in the OMS. */
  'oms.orders': {
    carries: 'reservation.confirmed',
    consumer: 'system-oms',
    attempts: 10,
    backoff: { type: 'exponential', delay: 1000, jitter: 0.5 },
    concurrency: 8,
    limiter: { max: 50, duration: 1000 },
  },
  /** Confirmed reservations to be turned into orders and fulfilment orders by process-allocation. */
  'allocation.orders': {
    carries: 'reservation.confirmed',
    consumer: 'process-allocation',
    attempts: 8,
    backoff: { type: 'exponential', delay: 500, jitter: 0.5 },
    concurrency: 8,
  },
  /** What the WMS did with fulfilment orders (released, shipped, short-picked, cancelled), for process-allocation. */
  'allocation.fulfilment-reports': {
    carries: 'fulfilment.reported',
    consumer: 'process-allocation',
    attempts: 8,
    backoff: { type: 'exponential', delay: 500, jitter: 0.5 },
    concurrency: 8,
  },
  /** Order statuses reported by the OMS or a channel in their own words, for process-allocation. */
  'allocation.order-status': {
    carries: 'order.status-reported',
    consumer: 'process-allocation',
    attempts: 8,
    backoff: { type: 'exponential', delay: 500, jitter: 0.5 },
    concurrency: 8,
  },
  /** Postings the ERP acknowledged, for the order lifecycle (settlement) kept by process-allocation. */
  'finance.posting-results': {
    carries: 'finance.posting-acknowledged',
    consumer: 'process-allocation',
    attempts: 8,
    backoff: { type: 'exponential', delay: 500, jitter: 0.5 },
    concurrency: 8,
  },
  /** The daily summary postings of channels in `daily-summary` mode: scheduled, one run per tick across replicas. */
  'finance.daily-summaries': {
    carries: 'command',
    consumer: 'process-allocation',
    attempts: 5,
    backoff: { type: 'exponential', delay: 5000, jitter: 0.5 },
    concurrency: 1,
  },
  /** Fulfilment orders to release to (or cancel in) the WMS. */
  'wms.fulfilment-requests': {
    carries: 'fulfilment.requested',
    consumer: 'system-wms',
    attempts: 10,
    backoff: { type: 'exponential', delay: 1000, jitter: 0.5 },
    concurrency: 8,
    limiter: { max: 50, duration: 1000 },
  },
  /** Accounting entries to book in the ERP, each once per posting key. */
  'erp.postings': {
    carries: 'finance.posting-requested',
    consumer: 'system-erp',
    attempts: 10,
    backoff: { type: 'exponential', delay: 1000, jitter: 0.5 },
    concurrency: 8,
    limiter: { max: 50, duration: 1000 },
  },
  /** Polls of the OMS for order status changes: scheduled, one run per tick across replicas. */
  'oms.status-polls': {
    carries: 'command',
    consumer: 'system-oms',
    attempts: 3,
    backoff: { type: 'exponential', delay: 1000, jitter: 0.5 },
    concurrency: 1,
  },
  /** Reconciliation runs: scheduled (one per tick across replicas) or asked for through the API. */
  'reconciliation.runs': {
    carries: 'command',
    consumer: 'process-reconciliation',
    attempts: 3,
    backoff: { type: 'exponential', delay: 5000, jitter: 0.5 },
    concurrency: 1,
  },
  /**
   * Quantity updates of marketplace listings the marketplace refused: experience-marketplace dead-letters
   * them here with the marketplace's reason, and a replay marks the SKU pending again, so that it is pushed anew.
   */
  'marketplace.listing-updates': {
    carries: 'command',
    consumer: 'experience-marketplace',
    attempts: 5,
    backoff: { type: 'exponential', delay: 1000, jitter: 0.5 },
    concurrency: 4,
  },
} as const satisfies Record<string, QueueDefinition>;

export type QueueName = keyof typeof QUEUES;
export const QUEUE_NAMES = Object.keys(QUEUES) as QueueName[];

/** Which queues an event goes to when it is published: one job per queue, each with the event id as job id. */
export const ROUTES: Record<EventType, readonly QueueName[]> = {
  'inventory.stock-moved': ['inventory.stock-moved'],
  'reservation.confirmed': ['erp.commitments', 'oms.orders', 'allocation.orders'],
  'fulfilment.requested': ['wms.fulfilment-requests'],
  'fulfilment.reported': ['allocation.fulfilment-reports'],
  'finance.posting-requested': ['erp.postings'],
  'finance.posting-acknowledged': ['finance.posting-results'],
  'order.status-reported': ['allocation.order-status'],
};

export function queueDefinition(name: QueueName): QueueDefinition {
  return QUEUES[name];
}

export function isQueueName(name: string): name is QueueName {
  return Object.hasOwn(QUEUES, name);
}

/** Job options every job of the queue gets: attempts, backoff, and bounded retention (never keep forever). */
export function jobOptions(name: QueueName): JobsOptions {
  const q: QueueDefinition = QUEUES[name];
  return {
    attempts: q.attempts,
    backoff: q.backoff,
    removeOnComplete: { age: 24 * 3600, count: 10_000 },
    removeOnFail: { age: 7 * 24 * 3600, count: 10_000 },
  };
}

/**
 * A job whose worker died (or whose lock was lost in a Redis restart) is taken up again once its lock has
 * expired and a stalled check has run: at most LOCK_DURATION_MS + STALLED_INTERVAL_MS later. The lock is
 * renewed every half duration while the job runs, and stays above a backend call's budget (5 s, 3 tries).
 */
export const LOCK_DURATION_MS = 15_000;
export const STALLED_INTERVAL_MS = 5_000;

/** Options for the queue's worker (`@Processor(name, workerOptions(name))`). */
export function workerOptions(name: QueueName): {
  concurrency: number;
  limiter?: { max: number; duration: number };
  maxStalledCount: number;
  lockDuration: number;
  stalledInterval: number;
} {
  const q: QueueDefinition = QUEUES[name];
  return {
    concurrency: q.concurrency,
    ...(q.limiter ? { limiter: q.limiter } : {}),
    maxStalledCount: 2,
    lockDuration: LOCK_DURATION_MS,
    stalledInterval: STALLED_INTERVAL_MS,
  };
}
