import type { ChannelPolicy, LocationAvailability } from '@stockbridge/canonical';

export interface PoolFigure {
  location: string;
  /** Available to sell at the location, before flooring. */
  available: number;
  /** When a source system last reported this stock. */
  syncedAt: Date;
}

export interface ChannelFigure {
  available: number;
  locations: LocationAvailability[];
  /** When the figure turns stale (oldest report + staleness limit); null when the channel has no limit. */
  staleAt: Date | null;
  /** What the channel is shown once stale. */
  staleAvailable: number;
}

/** Turns the pooled stock of a channel into the figure the channel sees. */
export abstract class ChannelAvailabilityStrategy {
  abstract figure(policy: ChannelPolicy, pool: PoolFigure[]): ChannelFigure;
}

/**
 * Percentage buffer, then fixed holdback, then the exposure cap, each floored at 0. Per-location figures
 * (for pickup) get the same percentage buffer and never exceed the channel figure.
 */
export class BufferedChannelAvailability extends ChannelAvailabilityStrategy {
  figure(policy: ChannelPolicy, pool: PoolFigure[]): ChannelFigure {
    const keep = (n: number) => Math.floor((n * (100 - policy.bufferPercent)) / 100);
    const pooled = pool.reduce((sum, p) => sum + Math.max(0, p.available), 0);
    let available = Math.max(0, keep(pooled) - policy.holdback);
    if (policy.maxExposed !== null) available = Math.min(available, policy.maxExposed);
    const locations = pool.map((p) => ({
      location: p.location,
      available: Math.min(available, Math.max(0, keep(Math.max(0, p.available)))),
    }));
    let staleAt: Date | null = null;
    if (policy.stalenessSeconds !== null && pool.length > 0) {
      const oldest = Math.min(...pool.map((p) => p.syncedAt.getTime()));
      staleAt = new Date(oldest + policy.stalenessSeconds * 1000);
    }
    return { available, locations, staleAt, staleAvailable: policy.staleMode === 'zero' ? 0 : available };
  }
}
