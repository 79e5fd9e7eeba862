import { Injectable, Logger } from '@nestjs/common';
import {
  AvailabilityReadModel,
  ReadModelRebuildingError,
  type ReadAvailability,
} from '@stockbridge/read-model';
import { MarketplaceConfig } from '../marketplace.config';
import { MarketplaceCallError, MarketplacePort, type QuantityOutcome } from '../marketplace/marketplace.port';
import { type DueListing, Listings, type Settlement } from './listings';
import { OutboundMetrics } from './outbound-metrics';
import { backoffMs, RateBudget, sleep } from './pacing';
import { RefusalLetters } from './refusal-letters';

/** What one push cycle did. */
export type PushResult = 'idle' | 'worked' | 'waiting';

/**
 * Sends the marketplace the figures of pending listings, a batch per call (the leader's work, see
 * OutboundLeader). Each cycle takes the pending SKUs whose turn has come (longest waiting first), reads their
 * current figures from the read model — which applies staleness at read time, so a stale figure goes out as the
 * channel's conservative one — and sends only those that differ from what the marketplace holds. Calls are
 * paced to the rate budget; a 429 pauses every call for its Retry-After; a marketplace that is down or slow
 * backs off (exponential, jitter) with the SKUs still pending; a SKU the marketplace refuses is dead-lettered
 * with its reason while the rest of the batch applies.
 */
@Injectable()
export class Pusher {
  private readonly log = new Logger(Pusher.name);
  /** Failed calls in a row: the whole client backs off on them, each SKU on its own attempts. */
  private failures = 0;
  private readonly channel: string;

  constructor(
    private readonly config: MarketplaceConfig,
    private readonly port: MarketplacePort,
    private readonly readModel: AvailabilityReadModel,
    private readonly listings: Listings,
    private readonly letters: RefusalLetters,
    private readonly metrics: OutboundMetrics,
    readonly budget: RateBudget,
  ) {
    this.channel = config.MARKETPLACE_CHANNEL;
  }

  private get batchSize(): number {
    return Math.min(this.config.MARKETPLACE_BATCH_SIZE, this.port.maxBatch);
  }

  /** One batch: claim, compare, send, settle. `active` false stops it before a call (never during one). */
  async pushOnce(active: () => boolean): Promise<PushResult> {
    // Wait for the budget before reading figures, so that what is sent is as fresh as it can be.
    if (!(await this.ready(active))) return 'waiting';
    const due = await this.listings.due(this.channel, this.batchSize);
    if (due.length === 0) return 'idle';
    let figures: ReadAvailability[];
    try {
      figures = await this.readModel.read(
        this.channel,
        due.map((d) => d.sku),
      );
    } catch (err) {
      // Redis came back empty and the publisher is filling it again: the SKUs stay pending meanwhile.
      if (err instanceof ReadModelRebuildingError) {
        await sleep(500);
        return 'waiting';
      }
      throw err;
    }
    const settled: Settlement[] = [];
    const send: { due: DueListing; quantity: number; staleAt: string | null }[] = [];
    due.forEach((d, i) => {
      const f = figures[i];
      // A stale figure stays as it is until data flows again (the publisher then republishes, and the feed says so).
      const staleAt = f.stale ? null : f.staleAt;
      if (!f.known) settled.push({ sku: d.sku, generation: d.generation, kind: 'unknown' });
      // Not listed on the marketplace: nothing can apply until the letter is replayed or a resync finds it.
      else if (d.refusal === 'unlisted') settled.push({ sku: d.sku, generation: d.generation, kind: 'held' });
      else if (f.available === d.sentQuantity || f.available === d.refusedQuantity)
        settled.push({ sku: d.sku, generation: d.generation, kind: 'unchanged', staleAt });
      else send.push({ due: d, quantity: f.available, staleAt });
    });
    if (send.length > 0 && (await this.budget.take(() => !active()))) {
      const outcomes = await this.call(send.map((s) => ({ sku: s.due.sku, quantity: s.quantity })));
      if (outcomes === null) {
        // The call failed as a whole: every SKU of it stays pending, each waiting its own backoff.
        await this.postpone(send.map((s) => s.due));
      } else {
        for (const [i, outcome] of outcomes.entries()) {
          const s = send[i];
          const base = { sku: s.due.sku, generation: s.due.generation };
          if (outcome.applied) {
            settled.push({ ...base, kind: 'sent', quantity: s.quantity, staleAt: s.staleAt });
          } else {
            await this.refused(s.due, s.quantity, outcome);
            settled.push({
              ...base,
              kind: 'refused',
              quantity: s.quantity,
              refusal: outcome.unlisted ? 'unlisted' : 'refused',
              error: `${outcome.code} ${outcome.reason}`,
            });
          }
        }
      }
    }
    await this.listings.settle(this.channel, settled);
    for (const s of settled) this.metrics.skus.inc({ outcome: s.kind === 'sent' ? 'applied' : s.kind });
    return 'worked';
  }

  /** Waits until a call may start; false when the cycle should end instead (stopping, or a long pause). */
  private async ready(active: () => boolean): Promise<boolean> {
    for (let wait = this.budget.waitMs(); wait > 0; wait = this.budget.waitMs()) {
      if (!active()) return false;
      await sleep(Math.min(wait, 250));
    }
    return active();
  }

  /** One call; null when it failed as a whole (classified, and the budget paused accordingly). */
  private async call(batch: { sku: string; quantity: number }[]): Promise<QuantityOutcome[] | null> {
    try {
      const outcomes = await this.port.pushQuantities(batch);
      this.metrics.calls.inc({ call: 'push', result: 'ok' });
      this.failures = 0;
      return outcomes;
    } catch (err) {
      if (!(err instanceof MarketplaceCallError)) throw err;
      this.metrics.calls.inc({ call: 'push', result: err.failure });
      if (err.failure === 'refused') {
        // Refused as a whole (another 4xx): each SKU of it is refused with the marketplace's reason.
        this.failures = 0;
        return batch.map((u) => ({
          sku: u.sku,
          applied: false,
          code: String(err.status ?? 'refused'),
          reason: err.message,
          details: err.details,
          unlisted: false,
        }));
      }
      this.onFailure(err);
      return null;
    }
  }

  /** Pauses every call after a failed one: a 429 for its Retry-After, the rest with backoff. */
  onFailure(err: MarketplaceCallError): void {
    if (err.failure === 'rate-limited') {
      this.budget.pause(err.retryAfterMs ?? 1_000);
      this.log.warn(`the marketplace answered 429; no call for ${err.retryAfterMs ?? 1_000} ms`);
      return;
    }
    this.failures++;
    const { MARKETPLACE_BACKOFF_MS: base, MARKETPLACE_BACKOFF_MAX_MS: max } = this.config;
    // Credentials refused: nothing gets better by asking often; wait the longest backoff.
    const wait =
      err.failure === 'unauthorized'
        ? max
        : Math.max(backoffMs(this.failures, base, max), err.retryAfterMs ?? 0);
    this.budget.pause(wait);
    const say = `marketplace call failed (${err.failure}, ${this.failures} in a row): ${err.message}; next call in ${wait} ms`;
    if (err.failure === 'unauthorized') this.log.error(say);
    else this.log.warn(say);
  }

  private async postpone(due: DueListing[]): Promise<void> {
    const { MARKETPLACE_BACKOFF_MS: base, MARKETPLACE_BACKOFF_MAX_MS: max } = this.config;
    await this.listings.postpone(
      this.channel,
      due.map((d) => ({ sku: d.sku, retryInMs: backoffMs(d.attempts + 1, base, max) })),
      'the marketplace call failed; retrying with backoff',
    );
  }

  private async refused(
    due: DueListing,
    quantity: number,
    outcome: Extract<QuantityOutcome, { applied: false }>,
  ): Promise<void> {
    this.log.warn(`the marketplace refused ${due.sku} = ${quantity}: ${outcome.code} ${outcome.reason}`);
    await this.letters.record(
      {
        channel: this.channel,
        sku: due.sku,
        quantity,
        marketplace: this.port.name,
        code: outcome.code,
        reason: outcome.reason,
      },
      due.generation,
      outcome.details,
    );
    this.metrics.deadLetters.inc();
  }
}
