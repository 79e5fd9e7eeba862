import { Injectable } from '@nestjs/common';
import { Metrics } from '@stockbridge/app-platform';
import { type Counter, Gauge } from 'prom-client';
import { MarketplaceConfig } from '../marketplace.config';
import { Listings } from './listings';

/** The outbound quantities' metrics (docs/operations.md#metrics). */
@Injectable()
export class OutboundMetrics {
  /** SKUs per outcome of the pusher: applied, refused, unchanged (nothing to send), unknown. */
  readonly skus: Counter<'outcome'>;
  /** Calls to the marketplace per kind (push, list) and result (ok, rate-limited, unavailable…). */
  readonly calls: Counter<'call' | 'result'>;
  readonly changes: Counter;
  readonly deadLetters: Counter;
  readonly resyncs: Counter<'trigger'>;
  private readonly leader: Gauge;

  constructor(metrics: Metrics, listings: Listings, config: MarketplaceConfig) {
    const channel = config.MARKETPLACE_CHANNEL;
    this.skus = metrics.counter('marketplace_skus_total', 'SKUs settled by the pusher, per outcome', [
      'outcome',
    ]);
    this.calls = metrics.counter('marketplace_calls_total', 'Calls to the marketplace, per kind and result', [
      'call',
      'result',
    ]);
    this.changes = metrics.counter('marketplace_feed_changes_total', 'Changes read from the change feed', []);
    this.deadLetters = metrics.counter(
      'marketplace_dead_letters_total',
      'Quantity updates the marketplace refused, dead-lettered',
      [],
    );
    this.resyncs = metrics.counter('marketplace_resyncs_total', 'Full resyncs run, per trigger', ['trigger']);
    // Read at scrape time from PostgreSQL: true across replicas, whichever one is scraped.
    let last: Promise<Awaited<ReturnType<Listings['counts']>>> | null = null;
    const counts = () => {
      last ??= listings.counts(channel).finally(() => setTimeout(() => (last = null), 500));
      return last;
    };
    new Gauge({
      name: 'marketplace_pending_listings',
      help: 'SKUs whose latest figure the marketplace has not been sent yet',
      registers: [metrics.registry],
      async collect() {
        this.set((await counts().catch(() => ({ pending: NaN }))).pending);
      },
    });
    new Gauge({
      name: 'marketplace_pending_lag_seconds',
      help: 'Age of the oldest change not yet sent to the marketplace',
      registers: [metrics.registry],
      async collect() {
        this.set((await counts().catch(() => ({ oldestPendingSeconds: NaN }))).oldestPendingSeconds);
      },
    });
    this.leader = new Gauge({
      name: 'marketplace_leader',
      help: '1 on the replica that pushes to the marketplace',
      registers: [metrics.registry],
    });
    this.leader.set(0);
  }

  setLeading(leading: boolean): void {
    this.leader.set(leading ? 1 : 0);
  }
}
