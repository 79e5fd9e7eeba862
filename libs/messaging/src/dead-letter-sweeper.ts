import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type BeforeApplicationShutdown,
} from '@nestjs/common';
import type { Job } from 'bullmq';
import { DeadLetters } from './dead-letters';
import { errorMessage } from './errors';
import { Inbox } from './inbox';
import { QueueRegistry } from './queue-registry';
import type { QueueName } from './queues';

export class DeadLetterSweeperOptions {
  queues: QueueName[] = [];
  intervalMs = 15_000;
  /** Inbox entries of this app's consumers are kept this long (far beyond any redelivery or replay). */
  inboxRetentionDays = 30;
}

/**
 * Catches the jobs that failed without their processor writing a dead letter — a worker killed or stalled
 * too often ("job stalled more than allowable limit") — by sweeping each consumed queue's failed set.
 * Letters already written are kept as they are (unique per queue and job id); swept jobs leave Redis.
 * Once an hour it also forgets inbox entries past their retention.
 */
@Injectable()
export class DeadLetterSweeper implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger(DeadLetterSweeper.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;
  private lastPurge = 0;

  constructor(
    private readonly deadLetters: DeadLetters,
    private readonly queues: QueueRegistry,
    private readonly options: DeadLetterSweeperOptions,
    private readonly inbox: Inbox,
  ) {}

  onApplicationBootstrap(): void {
    if (this.options.queues.length === 0) return;
    this.timer = setInterval(() => void this.sweep(), this.options.intervalMs);
    this.timer.unref();
  }

  /** Before the pools close: a held LISTEN connection would keep the pool from ending. */
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => 0);
  }

  async sweep(): Promise<number> {
    if (this.running) return this.running;
    this.running = this.sweepAll().finally(() => (this.running = undefined));
    return this.running;
  }

  private async sweepAll(): Promise<number> {
    let moved = 0;
    for (const name of this.options.queues) {
      try {
        const failed = (await this.queues.get(name).getFailed(0, 199)) as Job[];
        for (const job of failed) {
          const kind = /stalled/i.test(job.failedReason ?? '') ? 'stalled' : 'exhausted';
          await this.deadLetters.record(name, job, undefined, kind, { finalAttempt: false });
          await job.remove().catch(() => undefined);
          moved++;
        }
      } catch (err) {
        this.log.warn(`Dead-letter sweep of ${name} failed: ${errorMessage(err)}`);
      }
    }
    if (Date.now() - this.lastPurge > 3_600_000) {
      this.lastPurge = Date.now();
      await this.inbox.purge(this.options.inboxRetentionDays).catch((err: unknown) => {
        this.log.warn(`Inbox purge failed: ${errorMessage(err)}`);
      });
    }
    return moved;
  }
}
