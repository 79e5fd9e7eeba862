import {
  type BeforeApplicationShutdown,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { Db } from '@stockbridge/persistence';
import type { PoolClient } from 'pg';
import { MarketplaceConfig } from '../marketplace.config';
import { FeedConsumer } from './feed-consumer';
import { Listings } from './listings';
import { OutboundMetrics } from './outbound-metrics';
import { sleep, Wakeup } from './pacing';
import { Pusher } from './pusher';
import { ResyncRunner } from './resync-runner';
import { Resyncs } from './resyncs';

/** How often the leader checks that its lock's connection is alive, and the schedule whether a resync is due. */
const LOCK_CHECK_MS = 5_000;
const SCHEDULE_CHECK_MS = 30_000;

/**
 * One replica pushes to the marketplace: the one holding a PostgreSQL advisory lock of the channel (session
 * level, on a connection it keeps). The others try again every MARKETPLACE_LEADER_RETRY_MS. The leader consumes
 * the change feed, runs the pusher, marks stale figures pending, asks for scheduled resyncs and runs resyncs;
 * when its lock's connection dies it stops, and another replica takes over from what PostgreSQL holds.
 * At shutdown the call in flight finishes and is recorded; everything else stays pending for the next leader.
 */
@Injectable()
export class OutboundLeader implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger(OutboundLeader.name);
  private stopping = false;
  private campaign: Promise<void> | null = null;
  private readonly retry = new Wakeup();
  /** Wakes the pusher: the feed brought changes, or a replay marked a SKU. */
  readonly work = new Wakeup();
  private lead = false;
  private lastWarning = 0;

  constructor(
    private readonly config: MarketplaceConfig,
    private readonly db: Db,
    private readonly feed: FeedConsumer,
    private readonly pusher: Pusher,
    private readonly runner: ResyncRunner,
    private readonly listings: Listings,
    private readonly resyncs: Resyncs,
    private readonly metrics: OutboundMetrics,
  ) {}

  /** True while this replica pushes. */
  get leading(): boolean {
    return this.lead;
  }

  onApplicationBootstrap(): void {
    this.campaign = this.campaignLoop();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.retry.notify();
    this.work.notify();
    await this.campaign;
  }

  private async campaignLoop(): Promise<void> {
    while (!this.stopping) {
      let client: PoolClient | null = null;
      try {
        client = await this.tryLock();
      } catch (err) {
        this.warn(`could not try the leader lock: ${(err as Error).message}`);
      }
      if (client) await this.leadWith(client);
      if (!this.stopping) await this.retry.wait(this.config.MARKETPLACE_LEADER_RETRY_MS);
    }
  }

  private get lockKey(): string {
    return `experience-marketplace/${this.config.MARKETPLACE_CHANNEL}`;
  }

  private async tryLock(): Promise<PoolClient | null> {
    const client = await this.db.pool.connect();
    try {
      const res = await client.query<{ ok: boolean }>(
        'SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok',
        [this.lockKey],
      );
      if (res.rows[0].ok) return client;
      client.release();
      return null;
    } catch (err) {
      client.release(true);
      throw err;
    }
  }

  private async leadWith(client: PoolClient): Promise<void> {
    let lost = false;
    const onError = () => (lost = true);
    client.on('error', onError);
    const watch = setInterval(() => {
      client.query('SELECT 1').catch(() => (lost = true));
    }, LOCK_CHECK_MS);
    const active = () => !this.stopping && !lost;
    this.lead = true;
    this.metrics.setLeading(true);
    this.log.log(`leading the marketplace channel ${this.config.MARKETPLACE_CHANNEL}`);
    try {
      await Promise.all([this.feed.run(active, this.work), this.pushLoop(active)]);
    } finally {
      clearInterval(watch);
      this.lead = false;
      this.metrics.setLeading(false);
      this.runner.reset();
      if (lost) this.log.warn('lost the leader lock (its connection failed); pushing stops here');
      try {
        if (!lost) await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [this.lockKey]);
        client.removeListener('error', onError);
        client.release(lost);
      } catch {
        client.release(true);
      }
    }
  }

  private async pushLoop(active: () => boolean): Promise<void> {
    const channel = this.config.MARKETPLACE_CHANNEL;
    const interval = this.config.MARKETPLACE_RESYNC_INTERVAL_SECONDS;
    let lastSchedule = 0;
    let lastStale = 0;
    while (active()) {
      try {
        const now = Date.now();
        if (interval > 0 && now - lastSchedule >= SCHEDULE_CHECK_MS) {
          lastSchedule = now;
          if (await this.resyncs.requestIfDue(channel, interval)) this.log.log('scheduled resync asked for');
        }
        if (now - lastStale >= this.config.MARKETPLACE_IDLE_MS) {
          lastStale = now;
          // Figures sent before their data went quiet: their conservative figure goes out in this cycle.
          await this.listings.markStale(channel);
        }
        const resynced = await this.runner.step(active);
        const pushed = await this.pusher.pushOnce(active);
        if (!resynced && pushed === 'idle') await this.work.wait(this.config.MARKETPLACE_IDLE_MS);
      } catch (err) {
        this.warn(`push cycle failed: ${(err as Error).message}`);
        await sleep(1_000);
      }
    }
  }

  private warn(message: string): void {
    if (Date.now() - this.lastWarning < 10_000) return;
    this.lastWarning = Date.now();
    this.log.warn(message);
  }
}
