import { Injectable } from '@nestjs/common';
import { Metrics } from '@stockbridge/app-platform';
import { Gauge } from 'prom-client';
import type { Counter, Histogram } from 'prom-client';
import { DeadLetters } from './dead-letters';
import { QueueRegistry } from './queue-registry';

export type JobOutcome = 'completed' | 'retried' | 'waited' | 'dead-lettered';

/**
 * The queue figures of docs/operations.md#health-and-metrics on each app's /metrics: job outcomes and latency of its workers, and
 * at every scrape the depth of its queues and their open dead letters.
 */
@Injectable()
export class MessagingMetrics {
  readonly jobs: Counter<'queue' | 'outcome'>;
  readonly duration: Histogram<'queue'>;

  constructor(metrics: Metrics, queues: QueueRegistry, deadLetters: DeadLetters) {
    this.jobs = metrics.counter('queue_jobs_processed_total', 'Jobs handled by this process, by outcome', [
      'queue',
      'outcome',
    ]);
    this.duration = metrics.histogram(
      'queue_job_duration_seconds',
      'Time a job spent in its processor',
      ['queue'],
      [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    );
    new Gauge({
      name: 'queue_jobs',
      help: 'Jobs in each queue by state (read from Redis at scrape time)',
      labelNames: ['queue', 'state'],
      registers: [metrics.registry],
      async collect() {
        for (const q of queues.all()) {
          const counts = await q
            .getJobCounts('waiting', 'active', 'delayed', 'failed', 'prioritized')
            .catch(() => null);
          for (const [state, n] of Object.entries(counts ?? {})) this.set({ queue: q.name, state }, n);
        }
      },
    });
    new Gauge({
      name: 'dead_letters_open',
      help: 'Open dead letters by queue and error kind',
      labelNames: ['queue', 'kind'],
      registers: [metrics.registry],
      async collect() {
        this.reset();
        for (const c of await deadLetters.countOpen().catch(() => []))
          this.set({ queue: c.queue, kind: c.errorKind }, c.count);
      },
    });
  }

  record(queue: string, outcome: JobOutcome, startedAt: number): void {
    this.jobs.inc({ queue, outcome });
    this.duration.observe({ queue }, (performance.now() - startedAt) / 1000);
  }
}

/** What every job processor needs from the messaging module, injected as one. */
@Injectable()
export class WorkerSupport {
  constructor(
    readonly deadLetters: DeadLetters,
    readonly queues: QueueRegistry,
    readonly metrics: MessagingMetrics,
  ) {}
}
