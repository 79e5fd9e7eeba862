import { Injectable, Logger } from '@nestjs/common';
import { AvailabilityReadModel } from '@stockbridge/read-model';
import { MarketplaceConfig } from '../marketplace.config';
import { MarketplaceCallError, MarketplacePort } from '../marketplace/marketplace.port';
import { Listings } from './listings';
import { OutboundMetrics } from './outbound-metrics';
import { Pusher } from './pusher';
import { type Resync, Resyncs } from './resyncs';

/** A resync under way in this leader: the marketplace's quantities read so far, and the page to read next. */
interface Running {
  resync: Resync;
  listed: Map<string, number>;
  /** The page to read next (null: the first). */
  page: string | null;
  /** Every page is read: what is left is marking the SKUs. */
  read: boolean;
}

/**
 * Runs full resyncs, one step per cycle of the leader so that pushes go on between its calls. A resync reads
 * what the marketplace holds (every page of its listings; each page a call within the rate budget), then marks
 * every SKU of the channel that the marketplace lists pending, with the marketplace's quantity as the one sent:
 * the pusher then sends exactly the figures that differ — those changed behind the platform's back included —
 * and nothing else. A SKU the marketplace does not list is left to its next change (which, pushed, is refused
 * and dead-lettered once): what a seller lists there is the seller's choice, and on a first start the listings
 * may not exist yet. (Trusting `sent_quantity` instead would cost no reads, but would never see a listing
 * changed on the marketplace's side, which is what a resync is for.) A resync waits for a complete read model:
 * right after Redis came back empty, its SKU list would be partial.
 */
@Injectable()
export class ResyncRunner {
  private readonly log = new Logger(ResyncRunner.name);
  private running: Running | null = null;
  private readonly channel: string;

  constructor(
    config: MarketplaceConfig,
    private readonly port: MarketplacePort,
    private readonly readModel: AvailabilityReadModel,
    private readonly listings: Listings,
    private readonly resyncs: Resyncs,
    private readonly pusher: Pusher,
    private readonly metrics: OutboundMetrics,
  ) {
    this.channel = config.MARKETPLACE_CHANNEL;
  }

  /** Forgets the resync under way (leadership lost): the next leader starts it again. */
  reset(): void {
    this.running = null;
  }

  /** One step: a page of the marketplace's listings, or the marking once all are read. False when idle. */
  async step(active: () => boolean): Promise<boolean> {
    if (!this.running) {
      const next = await this.resyncs.next(this.channel);
      if (!next || !(await this.readModel.complete())) return false;
      await this.resyncs.start(next.id);
      this.log.log(`resync ${next.id} (${next.trigger}, asked by ${next.requestedBy}) started`);
      this.running = { resync: next, listed: new Map(), page: null, read: false };
    }
    if (!this.running.read) return this.read(this.running, active);
    await this.mark(this.running);
    return true;
  }

  private async read(run: Running, active: () => boolean): Promise<boolean> {
    if (!(await this.pusher.budget.take(() => !active()))) return false;
    try {
      const page = await this.port.listQuantities(run.page);
      this.metrics.calls.inc({ call: 'list', result: 'ok' });
      for (const item of page.items) run.listed.set(item.sku, item.quantity);
      run.page = page.next;
      if (page.next === null) {
        run.read = true;
        await this.mark(run);
      }
    } catch (err) {
      if (!(err instanceof MarketplaceCallError)) throw err;
      this.metrics.calls.inc({ call: 'list', result: err.failure });
      this.pusher.onFailure(err);
      await this.resyncs.failed(run.resync.id, err.message);
      // The resync stays running: the same page is read again after the pause.
    }
    return true;
  }

  private async mark(run: Running): Promise<void> {
    let skus = 0;
    let corrected = 0;
    const seen = new Set<string>();
    for await (const batch of this.readModel.skus(this.channel, 1_000)) {
      // Only what the marketplace lists is compared: pushing a SKU it does not list would only be refused.
      const fresh = batch.filter((s) => !seen.has(s) && run.listed.has(s));
      for (const s of fresh) seen.add(s);
      corrected += await this.listings.markResync(this.channel, fresh, run.listed);
      skus += fresh.length;
    }
    await this.resyncs.finish(run.resync.id, { listed: run.listed.size, corrected, skus });
    this.metrics.resyncs.inc({ trigger: run.resync.trigger });
    this.running = null;
    this.log.log(
      `resync ${run.resync.id}: ${run.listed.size} listings read, ${skus} of them SKUs of the channel, now pending; ` +
        `${corrected} differed from what was sent`,
    );
  }
}
