import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Metrics } from '@stockbridge/http';
import type { Counter } from 'prom-client';
import { Availability } from '@stockbridge/ledger';
import { AvailabilityReadModel } from '@stockbridge/read-model';
import { ProcessReservationsConfig } from '../process-reservations.config';

/**
 * Keeps the availability read model in Redis up to date. Changes made by this process are published
 * right after their commit, coalesced per SKU; a sweep catches up on changes committed elsewhere (other
 * replicas, the CLI) or lost to a crash between commit and publish, and a periodic full refresh applies
 * policy changes and heals anything else.
 */
@Injectable()
export class AvailabilityPublisher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(AvailabilityPublisher.name);
  private dirty = new Set<string>();
  private flushing: Promise<void> | null = null;
  private sweepTimer?: NodeJS.Timeout;
  private sweptUntil: Date | null = null;
  private lastFull = 0;
  /** Per SKU, the newest stock version this process has published figures for. */
  private readonly seen = new Map<string, number>();
  private stopped = false;
  private readonly published: Counter<'trigger'>;

  constructor(
    private readonly availability: Availability,
    private readonly readModel: AvailabilityReadModel,
    private readonly config: ProcessReservationsConfig,
    metrics: Metrics,
  ) {
    this.published = metrics.counter(
      'availability_published_total',
      'Channel availability figures written to the read model',
      ['trigger'],
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.publishAll();
    this.scheduleSweep();
  }

  onApplicationShutdown(): Promise<void> | undefined {
    this.stopped = true;
    clearTimeout(this.sweepTimer);
    return this.flushing ?? undefined;
  }

  /** Marks SKUs whose stock changed; they are published on the next tick. */
  markDirty(skus: Iterable<string>): void {
    for (const sku of skus) this.dirty.add(sku);
    if (!this.flushing && this.dirty.size > 0) this.flushing = this.flushLoop();
  }

  /** Resolves once everything marked so far is in the read model. */
  async settled(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  private async flushLoop(): Promise<void> {
    try {
      await new Promise((r) => setImmediate(r));
      while (this.dirty.size > 0) {
        const batch = [...this.dirty].slice(0, 500);
        for (const sku of batch) this.dirty.delete(sku);
        try {
          await this.publish(batch, 'change');
        } catch (err) {
          // The sweep republishes anything changed since its last pass, so a failed push heals by itself.
          this.log.warn(
            { err: (err as Error).message, skus: batch.length },
            'availability publish failed; the sweep will retry',
          );
        }
      }
    } finally {
      this.flushing = null;
    }
  }

  async publishAll(): Promise<number> {
    const skus = await this.availability.allSkus();
    for (let i = 0; i < skus.length; i += 500) await this.publish(skus.slice(i, i + 500), 'full');
    this.lastFull = Date.now();
    return skus.length;
  }

  private async publish(skus: string[], trigger: 'change' | 'sweep' | 'full'): Promise<void> {
    const { figures, versions } = await this.availability.publishableWithVersions(skus);
    await this.readModel.publish(figures);
    for (const [sku, version] of versions)
      if (version > (this.seen.get(sku) ?? -1)) this.seen.set(sku, version);
    if (this.seen.size > 1_000_000) this.seen.clear();
    this.published.inc({ trigger }, figures.length);
  }

  private scheduleSweep(): void {
    if (this.stopped) return;
    this.sweepTimer = setTimeout(() => {
      void this.sweep().finally(() => this.scheduleSweep());
    }, this.config.READ_MODEL_SWEEP_MS);
    this.sweepTimer.unref();
  }

  private async sweep(): Promise<void> {
    try {
      if (Date.now() - this.lastFull > this.config.READ_MODEL_FULL_REFRESH_SECONDS * 1000) {
        await this.publishAll();
        return;
      }
      // Overlap the previous pass by a few seconds: a transaction that committed late with an earlier
      // updated_at is still caught.
      const since = this.sweptUntil ? new Date(this.sweptUntil.getTime() - 5_000) : new Date(0);
      const { changes, now } = await this.availability.changedSince(since);
      // Only SKUs changed since this process last published them (elsewhere, or lost to a crash).
      const skus = changes.filter((c) => c.version > (this.seen.get(c.sku) ?? -1)).map((c) => c.sku);
      for (let i = 0; i < skus.length; i += 500) await this.publish(skus.slice(i, i + 500), 'sweep');
      this.sweptUntil = now;
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'availability sweep failed');
    }
  }
}
