import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Metrics } from '@stockbridge/app-platform';
import type { Counter } from 'prom-client';
import { Availability } from '@stockbridge/ledger';
import { AvailabilityReadModel } from '@stockbridge/read-model';
import { ProcessReservationsConfig } from '../process-reservations.config';

/**
 * Keeps the availability read model in Redis up to date. Changes made by this process are published
 * right after their commit, coalesced per SKU; a sweep catches up on changes committed elsewhere (other
 * replicas, the CLI) or lost to a crash between commit and publish, and a periodic full refresh applies
 * policy changes and heals anything else. A Redis that came back empty is noticed within
 * READ_MODEL_RESET_CHECK_MS (and at once when the connection is ready again) and republished in full.
 */
@Injectable()
export class AvailabilityPublisher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(AvailabilityPublisher.name);
  private dirty = new Set<string>();
  private flushing: Promise<void> | null = null;
  private sweepTimer?: NodeJS.Timeout;
  private resetTimer?: NodeJS.Timeout;
  private stopWatchingReady?: () => void;
  /** The full publish in progress; callers asking for another one wait for it and then run theirs. */
  private full: Promise<number> | null = null;
  /** A full publish failed or was cut short by a reset: the reset check runs one until it succeeds. */
  private fullOwed = false;
  private checking = false;
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
    this.resetTimer = setInterval(() => void this.checkReset(), this.config.READ_MODEL_RESET_CHECK_MS);
    this.resetTimer.unref();
    this.stopWatchingReady = this.readModel.onReady(() => void this.checkReset());
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.sweepTimer);
    clearInterval(this.resetTimer);
    this.stopWatchingReady?.();
    await Promise.all([this.flushing, this.full?.catch(() => 0)]);
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

  /** Publishes every SKU and marks the model complete; returns the number of SKUs. */
  async publishAll(trigger: 'full' | 'reset' = 'full'): Promise<number> {
    const previous = this.full;
    const run = (async () => {
      await previous?.catch(() => 0);
      return this.publishEverySku(trigger);
    })();
    this.full = run;
    try {
      return await run;
    } finally {
      if (this.full === run) this.full = null;
    }
  }

  private async publishEverySku(trigger: 'full' | 'reset'): Promise<number> {
    this.fullOwed = true;
    // Redis emptied while this runs: the model is incomplete, and the next pass starts over.
    for (let pass = 1; ; pass++) {
      const token = await this.readModel.beginFullPublish();
      const skus = await this.availability.allSkus();
      for (let i = 0; i < skus.length; i += 500) await this.publish(skus.slice(i, i + 500), trigger);
      if (await this.readModel.endFullPublish(token)) {
        this.lastFull = Date.now();
        this.fullOwed = false;
        return skus.length;
      }
      if (pass >= 3 || this.stopped) throw new Error('Redis was reset during every full publish');
    }
  }

  /** Republishes in full when the read model lost its data (or a full publish is still owed). */
  private async checkReset(): Promise<void> {
    if (this.stopped || this.checking || this.full) return;
    this.checking = true;
    try {
      if (!this.fullOwed && (await this.readModel.complete())) return;
      const started = Date.now();
      this.log.warn(
        'the availability read model is empty or incomplete (Redis reset?); republishing every SKU',
      );
      const n = await this.publishAll('reset');
      this.log.log(`republished ${n} SKUs to the read model in ${Date.now() - started} ms`);
    } catch (err) {
      // Redis or PostgreSQL still away: the next check tries again.
      this.log.warn({ err: (err as Error).message }, 'read model reset check failed');
    } finally {
      this.checking = false;
    }
  }

  private async publish(skus: string[], trigger: 'change' | 'sweep' | 'full' | 'reset'): Promise<void> {
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
