import { randomUUID } from 'node:crypto';
import { Db, type Sql } from '@stockbridge/persistence';
import type { Job } from 'bullmq';
import { withDeadline } from './deadline';
import { type DeadLetterKind, errorMessage, PermanentError } from './errors';
import type { QueueRegistry } from './queue-registry';
import { isQueueName } from './queues';

export interface DeadLetterError {
  attempt: number;
  message: string;
}

export interface DeadLetter {
  id: string;
  queue: string;
  jobId: string;
  jobName: string;
  eventId: string | null;
  eventType: string | null;
  correlationId: string | null;
  payload: unknown;
  errorKind: DeadLetterKind;
  reason: string;
  details: Record<string, unknown>;
  errors: DeadLetterError[];
  attemptsMade: number;
  status: 'open' | 'replayed' | 'discarded';
  failedAt: Date;
  resolvedAt: Date | null;
  resolvedBy: string | null;
  replayJobId: string | null;
}

export interface DeadLetterFilter {
  queue?: string;
  errorKind?: DeadLetterKind;
  status?: DeadLetter['status'];
  /** Only letters that failed at least this many seconds ago. */
  minAgeSeconds?: number;
  /** Only letters that failed at most this many seconds ago. */
  maxAgeSeconds?: number;
  limit?: number;
  /** Letters skipped before the page (from before cursors; `after` is the way to page). */
  offset?: number;
  /** Only letters after this one in the list's order (failed_at, id): the page after the one it ended. */
  after?: DeadLetterKey;
}

/** A letter's place in the list's order, oldest first: PostgreSQL's text of failed_at (microseconds kept), then id. */
export interface DeadLetterKey {
  failedAt: string;
  id: string;
}

export interface DeadLetterPage {
  items: DeadLetter[];
  /** Letters matching the filter, all pages together. */
  total: number;
  /** The key of the page's last letter when more letters follow it, null on the last page. */
  next: DeadLetterKey | null;
}

interface Row {
  id: string;
  queue: string;
  job_id: string;
  job_name: string;
  event_id: string | null;
  event_type: string | null;
  correlation_id: string | null;
  payload: unknown;
  error_kind: DeadLetterKind;
  reason: string;
  errors: { history: DeadLetterError[]; details: Record<string, unknown> };
  attempts_made: number;
  status: DeadLetter['status'];
  failed_at: Date;
  resolved_at: Date | null;
  resolved_by: string | null;
  replay_job_id: string | null;
}

const toDeadLetter = (r: Row): DeadLetter => ({
  id: r.id,
  queue: r.queue,
  jobId: r.job_id,
  jobName: r.job_name,
  eventId: r.event_id,
  eventType: r.event_type,
  correlationId: r.correlation_id,
  payload: r.payload,
  errorKind: r.error_kind,
  reason: r.reason,
  details: r.errors.details,
  errors: r.errors.history,
  attemptsMade: r.attempts_made,
  status: r.status,
  failedAt: r.failed_at,
  resolvedAt: r.resolved_at,
  resolvedBy: r.resolved_by,
  replayJobId: r.replay_job_id,
});

/** The error history BullMQ kept for the job (one stack per failed attempt) plus the final error. */
function history(job: Job, final: unknown): DeadLetterError[] {
  const past = (job.stacktrace ?? []).map((stack, i) => ({
    attempt: i + 1,
    message: String(stack).split('\n')[0],
  }));
  if (final === undefined) return past;
  return [...past, { attempt: job.attemptsMade + 1, message: errorMessage(final) }];
}

const whereOf = (conds: string[]): string => (conds.length ? `WHERE ${conds.join(' AND ')}` : '');

/** What a dead letter records of a failure (see DeadLetters.recordFailure). */
export interface DeadLetterFailure {
  /** Unique per queue: the failure's identity (a second record of it is ignored). */
  jobId: string;
  jobName: string;
  /** What a replay puts back on the queue. */
  payload: unknown;
  kind: DeadLetterKind;
  /** The final error, for people. */
  reason: string;
  /** Machine-readable facts of the error, e.g. a backend's error code. */
  details?: Record<string, unknown>;
  eventId?: string | null;
  eventType?: string | null;
  correlationId?: string | null;
  /** One entry per failed attempt; by default the reason as the one attempt. */
  errors?: DeadLetterError[];
  attemptsMade?: number;
}

export class DeadLetterConflict extends Error {}

/**
 * Each queue's dead letters, kept in PostgreSQL (the source of truth, never evicted, queryable by queue,
 * kind and age). Written by the processor on a job's last attempt or on a permanent error, and by a sweep
 * of the failed set for jobs that failed without the processor seeing it (stalls, crashes).
 */
export class DeadLetters {
  constructor(private readonly db: Db) {}

  async record(
    queue: string,
    job: Job,
    error: unknown,
    kind: DeadLetterKind,
    options: { finalAttempt?: boolean } = {},
  ): Promise<void> {
    // An envelope carries its id and type; a system app's native intake job carries the backend's event id.
    const data = job.data as {
      id?: unknown;
      type?: unknown;
      correlationId?: unknown;
      event?: { eventId?: unknown };
    } | null;
    const str = (v: unknown) => (typeof v === 'string' ? v : null);
    await this.recordFailure(queue, {
      jobId: job.id ?? 'unknown',
      jobName: job.name,
      eventId: str(data?.id) ?? str(data?.event?.eventId),
      eventType: str(data?.type) ?? job.name,
      correlationId: str(data?.correlationId),
      payload: job.data ?? null,
      kind,
      reason: error === undefined ? job.failedReason : errorMessage(error),
      details: error instanceof PermanentError ? error.details : {},
      errors: options.finalAttempt === false ? history(job, undefined) : history(job, error),
      attemptsMade: options.finalAttempt === false ? job.attemptsMade : job.attemptsMade + 1,
    });
  }

  /**
   * A dead letter for work that failed without being a BullMQ job (e.g. a quantity update a marketplace refused):
   * listed, replayed (its payload put on `queue` under a new job id) and discarded like any other. One letter per
   * (queue, jobId): recording the same failure twice keeps the first.
   */
  async recordFailure(queue: string, failure: DeadLetterFailure): Promise<void> {
    await this.db.query(
      `INSERT INTO dead_letters (id, queue, job_id, job_name, event_id, event_type, correlation_id, payload, error_kind,
         reason, errors, attempts_made)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (queue, job_id) DO NOTHING`,
      [
        randomUUID(),
        queue,
        failure.jobId,
        failure.jobName,
        failure.eventId ?? null,
        failure.eventType ?? failure.jobName,
        failure.correlationId ?? null,
        JSON.stringify(failure.payload ?? null),
        failure.kind,
        failure.reason.slice(0, 2000),
        JSON.stringify({
          history: failure.errors ?? [{ attempt: 1, message: failure.reason.slice(0, 2000) }],
          details: failure.details ?? {},
        }),
        failure.attemptsMade ?? 1,
      ],
    );
  }

  /**
   * One page of the letters that match, oldest first (failed_at, id): up to `limit` (at most 500) after
   * `after`, skipping `offset`, with the number of matching letters and the key to continue after.
   */
  async list(filter: DeadLetterFilter = {}): Promise<DeadLetterPage> {
    const { conds, params } = this.conditions(filter);
    const matching = whereOf(conds);
    if (filter.after) {
      params.push(filter.after.failedAt, filter.after.id);
      conds.push(`(failed_at, id) > ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    const limit = Math.min(filter.limit ?? 50, 500);
    // One more row than the page says whether another follows; the count is of every matching letter.
    const res = await this.db.query<Row & { sort_at: string | null; total: string }>(
      `SELECT t.total, p.* FROM (SELECT count(*) AS total FROM dead_letters ${matching}) t
       LEFT JOIN LATERAL (
         SELECT *, failed_at::text AS sort_at FROM dead_letters ${whereOf(conds)}
         ORDER BY failed_at, id LIMIT ${limit + 1} OFFSET ${Math.max(0, filter.offset ?? 0)}
       ) p ON true
       ORDER BY p.failed_at, p.id`,
      params,
    );
    const rows = res.rows.filter((r) => r.id !== null);
    const last = rows.length > limit ? rows[limit - 1] : undefined;
    return {
      items: rows.slice(0, limit).map(toDeadLetter),
      total: Number(res.rows[0].total),
      next: last ? { failedAt: last.sort_at!, id: last.id } : null,
    };
  }

  async get(id: string): Promise<DeadLetter | null> {
    const res = await this.db.query<Row>(`SELECT * FROM dead_letters WHERE id = $1`, [id]);
    return res.rows[0] ? toDeadLetter(res.rows[0]) : null;
  }

  async ids(filter: DeadLetterFilter): Promise<string[]> {
    const { conds, params } = this.conditions({ ...filter, status: 'open' });
    const res = await this.db.query<{ id: string }>(
      `SELECT id FROM dead_letters ${whereOf(conds)} ORDER BY failed_at, id LIMIT ${Math.min(filter.limit ?? 1000, 10_000)}`,
      params,
    );
    return res.rows.map((r) => r.id);
  }

  /**
   * Puts an open letter's job back on its queue under a new job id and marks the letter replayed, in one
   * transaction with `onDone` (the audit record): if Redis refuses the job nothing is marked.
   */
  async replay(
    id: string,
    actor: string,
    queues: QueueRegistry,
    onDone: (sql: Sql, letter: DeadLetter) => Promise<void>,
  ): Promise<DeadLetter> {
    return this.db.tx(async (sql) => {
      const letter = await this.lockOpen(sql, id);
      if (!isQueueName(letter.queue))
        throw new DeadLetterConflict(`Queue "${letter.queue}" no longer exists.`);
      const replayJobId = `${letter.jobId}-replay-${id.slice(0, 8)}`;
      // Bounded: a Redis that does not answer must not hold the letter's row lock (and the caller) forever.
      await withDeadline(
        queues.get(letter.queue).add(letter.jobName, letter.payload, { jobId: replayJobId }),
        5_000,
        `Queue ${letter.queue} did not accept the job in time.`,
      ).catch((err: unknown) => {
        throw new QueueUnavailable(errorMessage(err));
      });
      const res = await sql.query<Row>(
        `UPDATE dead_letters SET status = 'replayed', resolved_at = clock_timestamp(), resolved_by = $2, replay_job_id = $3
         WHERE id = $1 RETURNING *`,
        [id, actor, replayJobId],
      );
      const done = toDeadLetter(res.rows[0]);
      await onDone(sql, done);
      return done;
    });
  }

  async discard(
    id: string,
    actor: string,
    onDone: (sql: Sql, letter: DeadLetter) => Promise<void>,
  ): Promise<DeadLetter> {
    return this.db.tx(async (sql) => {
      await this.lockOpen(sql, id);
      const res = await sql.query<Row>(
        `UPDATE dead_letters SET status = 'discarded', resolved_at = clock_timestamp(), resolved_by = $2 WHERE id = $1 RETURNING *`,
        [id, actor],
      );
      const done = toDeadLetter(res.rows[0]);
      await onDone(sql, done);
      return done;
    });
  }

  async countOpen(): Promise<{ queue: string; errorKind: string; count: number }[]> {
    const res = await this.db.query<{ queue: string; error_kind: string; n: string }>(
      `SELECT queue, error_kind, count(*) AS n FROM dead_letters WHERE status = 'open' GROUP BY queue, error_kind`,
    );
    return res.rows.map((r) => ({ queue: r.queue, errorKind: r.error_kind, count: Number(r.n) }));
  }

  private async lockOpen(sql: Sql, id: string): Promise<DeadLetter> {
    const res = await sql.query<Row>(`SELECT * FROM dead_letters WHERE id = $1 FOR UPDATE`, [id]);
    const row = res.rows[0];
    if (!row) throw new DeadLetterNotFound(`No dead letter ${id}.`);
    if (row.status !== 'open')
      throw new DeadLetterConflict(
        `Dead letter ${id} was already ${row.status} by ${row.resolved_by ?? 'someone'}.`,
      );
    return toDeadLetter(row);
  }

  private conditions(f: DeadLetterFilter): { conds: string[]; params: unknown[] } {
    const conds: string[] = [];
    const params: unknown[] = [];
    const add = (cond: (p: string) => string, value: unknown) => {
      params.push(value);
      conds.push(cond(`$${params.length}`));
    };
    if (f.queue) add((p) => `queue = ${p}`, f.queue);
    if (f.errorKind) add((p) => `error_kind = ${p}`, f.errorKind);
    if (f.status) add((p) => `status = ${p}`, f.status);
    if (f.minAgeSeconds !== undefined)
      add((p) => `failed_at <= now() - make_interval(secs => ${p})`, f.minAgeSeconds);
    if (f.maxAgeSeconds !== undefined)
      add((p) => `failed_at >= now() - make_interval(secs => ${p})`, f.maxAgeSeconds);
    return { conds, params };
  }
}

export class DeadLetterNotFound extends Error {}

/** Redis did not take the replayed job; the letter stays open. */
export class QueueUnavailable extends Error {}
