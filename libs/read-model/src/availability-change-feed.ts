import type { Redis } from 'ioredis';
import { changeFeedKey, feedsKey } from './availability-read-model';

/** One change of a channel's figure for a SKU, as appended by the publisher. */
export interface FeedEntry {
  /** The stream entry id (`<ms>-<seq>`), to acknowledge. */
  id: string;
  sku: string;
}

/** The feed's stream or its consumer group is gone (Redis lost its data): whatever it held is lost. */
export class ChangeFeedLostError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChangeFeedLostError';
  }
}

type StreamReply = [key: string, entries: [id: string, fields: string[] | null][]][] | null;

/** `<ms>-<seq>` as a pair that compares in stream order. */
function streamId(id: string): [bigint, bigint] {
  const [ms, seq] = id.split('-');
  return [BigInt(ms ?? '0'), BigInt(seq ?? '0')];
}

function after(a: string, b: string): boolean {
  const [am, as] = streamId(a);
  const [bm, bs] = streamId(b);
  return am > bm || (am === bm && as > bs);
}

/** The stream id right before `id`. */
function predecessor(id: string): string {
  const [ms, seq] = streamId(id);
  return seq > 0n ? `${ms}-${seq - 1n}` : `${ms - 1n}-18446744073709551615`;
}

/** XINFO's flat [name, value, name, value…] reply as a record. */
function record(flat: unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) out[String(flat[i])] = flat[i + 1];
  return out;
}

/**
 * The change feed of one channel of the availability read model, read through a Redis consumer group: a
 * Redis stream (`<prefix>availability:changes:<channel>`) to which the publisher appends a SKU whenever the
 * figure a reader would see changes, while the channel is registered in `<prefix>availability:feeds`.
 *
 * Entries are acknowledged once the consumer has stored what it needs (at-least-once); after a crash, the
 * entries delivered but not acknowledged are read again first. The stream keeps about CHANGE_FEED_MAXLEN
 * entries: `trimmedUnread` tells a consumer that was away longer than that, and a Redis that lost its data
 * shows as `ChangeFeedLostError`. In both cases the consumer must catch up by other means (a full resync).
 *
 * Reads block: give the feed a Redis connection of its own.
 */
export class AvailabilityChangeFeed {
  private backlogDone = false;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    readonly channel: string,
    private readonly group: string,
    private readonly consumer: string,
  ) {}

  get key(): string {
    return changeFeedKey(this.prefix, this.channel);
  }

  /** Asks the publisher to append this channel's changes (idempotent; a Redis that lost its data forgets it). */
  async register(): Promise<void> {
    await this.redis.sadd(feedsKey(this.prefix), this.channel);
  }

  /** Stops the feed (the stream stays until deleted). */
  async unregister(): Promise<void> {
    await this.redis.srem(feedsKey(this.prefix), this.channel);
  }

  /** Is the channel registered? False after Redis lost its data. */
  async registered(): Promise<boolean> {
    return (await this.redis.sismember(feedsKey(this.prefix), this.channel)) === 1;
  }

  /**
   * Creates the consumer group at the end of the stream (and the stream) unless it exists. True when it was
   * created: the consumer then knows nothing of what happened before, and must catch up by other means.
   */
  async ensureGroup(): Promise<boolean> {
    try {
      await this.redis.xgroup('CREATE', this.key, this.group, '$', 'MKSTREAM');
      this.backlogDone = false;
      return true;
    } catch (err) {
      if ((err as Error).message.startsWith('BUSYGROUP')) return false;
      throw err;
    }
  }

  /**
   * Up to `count` entries: first those delivered to this consumer and never acknowledged (a crash between
   * reading and acknowledging), then new ones, waiting up to `blockMs` for them.
   */
  async read(count: number, blockMs: number): Promise<FeedEntry[]> {
    const backlog = !this.backlogDone;
    let reply: StreamReply;
    try {
      reply = (await (backlog
        ? this.redis.xreadgroup('GROUP', this.group, this.consumer, 'COUNT', count, 'STREAMS', this.key, '0')
        : this.redis.xreadgroup(
            'GROUP',
            this.group,
            this.consumer,
            'COUNT',
            count,
            'BLOCK',
            blockMs,
            'STREAMS',
            this.key,
            '>',
          ))) as StreamReply;
    } catch (err) {
      const message = (err as Error).message;
      // NOGROUP: the stream or its group is gone; UNBLOCKED: deleted while this read waited (Redis ≥ 7.2).
      if (message.startsWith('NOGROUP') || message.startsWith('UNBLOCKED')) {
        this.backlogDone = false;
        throw new ChangeFeedLostError(
          `the change feed of ${this.channel} is gone: ${(err as Error).message}`,
        );
      }
      throw err;
    }
    const entries = reply?.[0]?.[1] ?? [];
    if (backlog && entries.length === 0) {
      // Read from 0, the backlog answers the same entries until they are acknowledged: an empty read ends it.
      this.backlogDone = true;
      return this.read(count, blockMs);
    }
    const out: FeedEntry[] = [];
    const gone: string[] = [];
    for (const [id, fields] of entries) {
      // A backlog entry trimmed from the stream comes back without its fields: nothing to do but acknowledge.
      const sku = fields ? fields[fields.indexOf('sku') + 1] : undefined;
      if (sku) out.push({ id, sku });
      else gone.push(id);
    }
    if (gone.length > 0) await this.ack(gone);
    return out;
  }

  /** The next read starts again with the entries delivered and not acknowledged (after a failed handling). */
  rewind(): void {
    this.backlogDone = false;
  }

  async ack(ids: string[]): Promise<void> {
    if (ids.length > 0) await this.redis.xack(this.key, this.group, ...ids);
  }

  /**
   * True when the stream trimmed entries the group had not read yet (the consumer was away for more than
   * CHANGE_FEED_MAXLEN changes); the group then moves to the gap's end, so the same loss is reported once.
   * (Rarely, when the trim ended exactly after the last entry read, it reports a loss there was not.)
   */
  async trimmedUnread(): Promise<boolean> {
    const stream = record((await this.redis.call('XINFO', 'STREAM', this.key)) as unknown[]);
    const length = Number(stream.length);
    // Nothing was ever removed: nothing can be lost.
    if (Number(stream['entries-added']) <= length) return false;
    const groups = ((await this.redis.call('XINFO', 'GROUPS', this.key)) as unknown[][]).map(record);
    const mine = groups.find((g) => g.name === this.group);
    if (!mine) throw new ChangeFeedLostError(`the consumer group of ${this.channel} is gone`);
    const delivered = String(mine['last-delivered-id']);
    // The last id that can have been trimmed: just before the first entry kept, or the last one ever added.
    const first = (stream['first-entry'] as [string, unknown] | null)?.[0];
    const edge = length > 0 && first ? predecessor(first) : String(stream['last-generated-id']);
    if (!after(edge, delivered)) return false;
    await this.redis.xgroup('SETID', this.key, this.group, edge);
    return true;
  }

  /** Entries appended and not yet delivered to the group (Redis ≥ 7; null when Redis cannot tell). */
  async lag(): Promise<number | null> {
    const groups = ((await this.redis.call('XINFO', 'GROUPS', this.key)) as unknown[][]).map(record);
    const lag = groups.find((g) => g.name === this.group)?.lag;
    return typeof lag === 'number' ? lag : null;
  }
}
