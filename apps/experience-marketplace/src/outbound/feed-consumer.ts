import { Injectable, Logger } from '@nestjs/common';
import { AvailabilityChangeFeed, ChangeFeedLostError } from '@stockbridge/read-model';
import { MarketplaceConfig } from '../marketplace.config';
import { Listings } from './listings';
import { OutboundMetrics } from './outbound-metrics';
import { sleep, Wakeup } from './pacing';
import { Resyncs } from './resyncs';

/** How often the consumer re-registers its channel and looks for entries trimmed before it read them. */
const CHECK_EVERY_MS = 10_000;
const READ_COUNT = 1_000;
const BLOCK_MS = 1_000;

/**
 * Moves the channel's change feed (a Redis stream the read model's publisher appends to) into PostgreSQL: each
 * SKU read is marked pending in `marketplace_listings`, and only then acknowledged, so a crash in between reads
 * it again (marking twice is harmless). What the feed cannot tell — Redis lost it, or the app was away past its
 * length — turns into a full resync.
 */
@Injectable()
export class FeedConsumer {
  private readonly log = new Logger(FeedConsumer.name);
  private readonly channel: string;
  private lastWarning = 0;

  constructor(
    config: MarketplaceConfig,
    private readonly feed: AvailabilityChangeFeed,
    private readonly listings: Listings,
    private readonly resyncs: Resyncs,
    private readonly metrics: OutboundMetrics,
  ) {
    this.channel = config.MARKETPLACE_CHANNEL;
  }

  /** Consumes until `active` turns false; `changed` is woken after every batch. */
  async run(active: () => boolean, changed: Wakeup): Promise<void> {
    let attached = false;
    let lastCheck = 0;
    while (active()) {
      try {
        if (!attached) {
          await this.attach();
          attached = true;
          lastCheck = Date.now();
        }
        if (Date.now() - lastCheck > CHECK_EVERY_MS) {
          lastCheck = Date.now();
          await this.feed.register();
          if (await this.feed.trimmedUnread()) await this.lost('entries were trimmed before they were read');
        }
        const entries = await this.feed.read(READ_COUNT, BLOCK_MS);
        if (entries.length === 0) continue;
        await this.listings.markChanged(
          this.channel,
          entries.map((e) => e.sku),
        );
        await this.feed.ack(entries.map((e) => e.id));
        this.metrics.changes.inc(entries.length);
        changed.notify();
      } catch (err) {
        if (err instanceof ChangeFeedLostError) {
          attached = false;
          continue;
        }
        // Redis or PostgreSQL away: what was read and not acknowledged is read again.
        this.feed.rewind();
        this.warn(`change feed: ${(err as Error).message}`);
        await sleep(1_000);
      }
    }
  }

  /** Registers the channel's feed and its consumer group; a group created anew means history is unknown. */
  private async attach(): Promise<void> {
    // The group first: every change appended once the channel is registered is then delivered.
    const created = await this.feed.ensureGroup();
    await this.feed.register();
    if (created) {
      const counts = await this.listings.counts(this.channel);
      await this.lost(counts.total === 0 ? null : 'the change feed was created anew (Redis lost its data?)');
    }
  }

  private async lost(why: string | null): Promise<void> {
    const resync = await this.resyncs.request(
      this.channel,
      why ? 'feed-lost' : 'first-start',
      'experience-marketplace',
    );
    if (why) this.log.warn(`${why}: full resync ${resync.id} asked for`);
    else this.log.log(`first start for channel ${this.channel}: full resync ${resync.id} asked for`);
  }

  private warn(message: string): void {
    if (Date.now() - this.lastWarning < 10_000) return;
    this.lastWarning = Date.now();
    this.log.warn(message);
  }
}
