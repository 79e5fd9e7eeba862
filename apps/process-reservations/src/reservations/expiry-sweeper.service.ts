import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Metrics } from '@stockbridge/app-platform';
import type { Counter } from 'prom-client';
import { Reservations } from '@stockbridge/ledger';
import { AvailabilityPublisher } from '../availability/availability-publisher.service';
import { ProcessReservationsConfig } from '../process-reservations.config';

/**
 * Returns the stock of reservations past their expiry. Every replica runs it; SKIP LOCKED in the ledger
 * gives each due reservation to exactly one of them.
 */
@Injectable()
export class ExpirySweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(ExpirySweeper.name);
  private timer?: NodeJS.Timeout;
  private running: Promise<number> | null = null;
  private stopped = false;
  private lastPurge = 0;
  private readonly expiredTotal: Counter;

  constructor(
    private readonly reservations: Reservations,
    private readonly publisher: AvailabilityPublisher,
    private readonly config: ProcessReservationsConfig,
    metrics: Metrics,
  ) {
    this.expiredTotal = metrics.counter(
      'reservations_expired_total',
      'Reservations expired by the sweeper',
      [],
    );
  }

  onApplicationBootstrap(): void {
    this.schedule();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.sweep().finally(() => {
        this.running = null;
        this.schedule();
      });
    }, this.config.EXPIRY_SWEEP_MS);
    this.timer.unref();
  }

  async sweep(): Promise<number> {
    let total = 0;
    try {
      // Idempotency records past their retention go in small batches, at most once a minute.
      if (Date.now() - this.lastPurge > 60_000) {
        this.lastPurge = Date.now();
        await this.reservations.purgeIdempotencyRecords();
      }
      for (;;) {
        const { expired, changedSkus } = await this.reservations.expireDue(100);
        if (expired.length === 0) break;
        total += expired.length;
        this.expiredTotal.inc(expired.length);
        this.publisher.markDirty(changedSkus);
        if (expired.length < 100 || this.stopped) break;
      }
    } catch (err) {
      this.log.error({ err: (err as Error).message }, 'expiry sweep failed; retrying on the next tick');
    }
    return total;
  }
}
