import { OnWorkerEvent, WorkerHost } from '@nestjs/bullmq';
import { type BeforeApplicationShutdown, Logger } from '@nestjs/common';
import { type Job, UnrecoverableError, Worker } from 'bullmq';
import { withCorrelation } from './correlation';
import { errorMessage, PermanentError, WaitError } from './errors';
import type { WorkerSupport } from './messaging-metrics';
import type { QueueName } from './queues';

/**
 * The base of every job processor (`@Processor(name, workerOptions(name))`). It runs the job with its
 * correlation id in scope and decides what a failure means:
 * - `WaitError` (circuit open, backend 429): the job goes back to waiting without spending an attempt, and
 *   the queue's rate limiter holds every worker of the queue for the given time (BullMQ applies that only
 *   to queues with a `limiter`, which every queue toward a backend has);
 * - `PermanentError`, or any error on the last attempt: the job is written to the queue's dead letters
 *   here, in the processor (docs/reliability.md#dead-letters: never only from an event listener), and fails at once;
 * - anything else: thrown on, so BullMQ retries it with the queue's backoff.
 */
export abstract class ReliableWorker<T = unknown> extends WorkerHost implements BeforeApplicationShutdown {
  protected readonly logger = new Logger(this.constructor.name);

  protected constructor(
    protected readonly queueName: QueueName,
    protected readonly support: WorkerSupport,
  ) {
    super();
  }

  protected abstract handle(job: Job<T>): Promise<unknown>;

  /** The queue it takes jobs from (checked against its `@Processor` at startup, see QueueHandlerCheck). */
  get consumedQueue(): QueueName {
    return this.queueName;
  }

  private lastConnectionError = 0;

  /** Connection errors while Redis is away: logged at most every 10 s (the worker reconnects by itself). */
  @OnWorkerEvent('error')
  onWorkerError(err: Error): void {
    const now = Date.now();
    if (now - this.lastConnectionError < 10_000) return;
    this.lastConnectionError = now;
    this.logger.warn(`worker of ${this.queueName}: ${err.message}`);
  }

  /** How long in-flight jobs get to finish at shutdown before the worker's connections are cut. */
  protected readonly closeDeadlineMs = 10_000;

  /**
   * `worker.close()` has no deadline (docs/reliability.md#timeouts-stalls-and-shutdown) and can hang on a connection that Redis dropped:
   * close here, before Nest's own close, and disconnect when the deadline passes. Unfinished jobs are
   * then taken up again by another worker once their lock expires.
   */
  async beforeApplicationShutdown(): Promise<void> {
    // No worker when the app stopped before its workers were registered (QueueHandlerCheck refused it).
    if (!this.started()) return;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), this.closeDeadlineMs);
    });
    const closed = this.worker.close().then(() => 'closed' as const);
    const outcome = await Promise.race([closed, deadline]);
    clearTimeout(timer);
    if (outcome === 'late') {
      this.logger.warn(
        `worker of ${this.queueName} did not close within ${this.closeDeadlineMs} ms; disconnecting`,
      );
      await this.worker.disconnect().catch(() => undefined);
    }
  }

  private started(): boolean {
    try {
      return this.worker !== undefined;
    } catch {
      return false;
    }
  }

  async process(job: Job<T>): Promise<unknown> {
    const data = job.data as { correlationId?: unknown } | null;
    const correlationId = typeof data?.correlationId === 'string' ? data.correlationId : String(job.id);
    return withCorrelation(correlationId, async () => {
      const started = performance.now();
      try {
        const out = await this.handle(job);
        this.support.metrics.record(this.queueName, 'completed', started);
        return out;
      } catch (err) {
        const failure = await this.failure(job, err, correlationId);
        const outcome =
          err instanceof WaitError
            ? 'waited'
            : failure instanceof UnrecoverableError
              ? 'dead-lettered'
              : 'retried';
        this.support.metrics.record(this.queueName, outcome, started);
        throw failure;
      }
    });
  }

  private async failure(job: Job<T>, err: unknown, correlationId: string): Promise<Error> {
    if (err instanceof WaitError) {
      await this.support.queues.get(this.queueName).rateLimit(err.waitMs);
      this.logger.debug({ msg: `waiting ${err.waitMs} ms: ${err.message}`, jobId: job.id, correlationId });
      return Worker.RateLimitError();
    }
    const attempts = job.opts.attempts ?? 1;
    const permanent = err instanceof PermanentError || err instanceof UnrecoverableError;
    const last = job.attemptsMade + 1 >= attempts;
    if (!permanent && !last) {
      this.logger.warn({
        msg: `attempt ${job.attemptsMade + 1}/${attempts} failed: ${errorMessage(err)}`,
        jobId: job.id,
        correlationId,
      });
      return err instanceof Error ? err : new Error(String(err));
    }
    const kind = err instanceof PermanentError ? err.kind : permanent ? 'validation' : 'exhausted';
    try {
      await this.support.deadLetters.record(this.queueName, job, err, kind);
    } catch (recordErr) {
      // The failed-set sweep writes it later; the job must still fail now.
      this.logger.error({
        msg: `could not write dead letter: ${errorMessage(recordErr)}`,
        jobId: job.id,
        correlationId,
      });
    }
    this.logger.error({
      msg: `dead-lettered (${kind}): ${errorMessage(err)}`,
      queue: this.queueName,
      jobId: job.id,
      correlationId,
    });
    return err instanceof UnrecoverableError ? err : new UnrecoverableError(errorMessage(err));
  }
}
