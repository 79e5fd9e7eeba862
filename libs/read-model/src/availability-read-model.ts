import { randomUUID } from 'node:crypto';
import type { LocationAvailability, PublishedAvailability } from '@stockbridge/canonical';
import type { Redis } from 'ioredis';
import { ReadModelRebuildingError } from './read-model-rebuilding.error';

export type { PublishedAvailability };

export interface ReadAvailability {
  sku: string;
  known: boolean;
  available: number;
  locations: LocationAvailability[];
  asOf: string | null;
  stale: boolean;
  /** When the figure turns stale (ISO time), or null when the channel has no staleness limit. */
  staleAt: string | null;
}

/**
 * About how many entries a channel's change feed keeps (trimmed approximately, `MAXLEN ~`): a consumer away
 * for longer than that many changes takes is told entries were lost (`AvailabilityChangeFeed`) and resyncs.
 */
export const CHANGE_FEED_MAXLEN = 200_000;

// Writes a field only when its version is not older than the stored one, so that two publishers racing
// can never leave an older figure on top of a newer one. KEYS[1] is the set of channels with a change feed;
// then, per figure, the channel's hash and its feed. ARGV holds per figure: SKU, version, stored value,
// channel. When a channel has a feed and the figure a reader would see changed (available, the time it
// turns stale, or the stale figure), the SKU is appended to the feed: a rewrite of the same figure is not.
const PUBLISH_SCRIPT = `
local feeds = {}
local function feeding(channel)
  local f = feeds[channel]
  if f == nil then
    f = redis.call('SISMEMBER', KEYS[1], channel) == 1
    feeds[channel] = f
  end
  return f
end
local n = (#KEYS - 1) / 2
for i = 1, n do
  local key = KEYS[i * 2]
  local field = ARGV[i * 4 - 3]
  local version = tonumber(ARGV[i * 4 - 2])
  local value = ARGV[i * 4 - 1]
  local current = redis.call('HGET', key, field)
  if (not current) or tonumber(string.match(current, '^(%d+)|')) <= version then
    redis.call('HSET', key, field, version .. '|' .. value)
    if feeding(ARGV[i * 4]) then
      local changed = true
      if current then
        local old = cjson.decode(string.sub(current, string.find(current, '|', 1, true) + 1))
        local new = cjson.decode(value)
        changed = old.a ~= new.a or old.s ~= new.s or old.z ~= new.z
      end
      if changed then
        redis.call('XADD', KEYS[i * 2 + 1], 'MAXLEN', '~', ${CHANGE_FEED_MAXLEN}, '*', 'sku', field)
      end
    end
  end
end
return n`;

// Ends a full publish: the epoch is set only if this publish's marker, set when it began, survived — a
// Redis emptied half-way through leaves the model incomplete, and the publisher must start over.
const COMPLETE_SCRIPT = `
if redis.call('DEL', KEYS[1]) == 0 then return 0 end
redis.call('SET', KEYS[2], ARGV[1])
return 1`;

/** A full publish running longer than this is abandoned; its marker expires with it. */
const REBUILD_MARKER_TTL_SECONDS = 3_600;

/** The hash of one channel's figures, one field per SKU. */
export const channelKey = (prefix: string, channel: string) => `${prefix}availability:${channel}`;
/** The stream of SKUs whose figure changed in one channel (written only while the channel has a feed). */
export const changeFeedKey = (prefix: string, channel: string) => `${prefix}availability:changes:${channel}`;
/** The set of channels whose changes are appended to a feed. */
export const feedsKey = (prefix: string) => `${prefix}availability:feeds`;

interface Stored {
  a: number;
  l: [string, number][];
  t: string;
  s: string | null;
  z: number;
}

/**
 * The availability read model in Redis: one hash per channel, one field per SKU. The process layer
 * writes it after every stock change; experience APIs read it (and nothing else of the ledger).
 *
 * Redis can come back empty (no persistence, a failover to an empty replica). The epoch key
 * (`<prefix>availability:epoch`), written when a full publish completes, tells a model that holds every SKU
 * from one that was reset: the publisher republishes in full when it is missing, and readers meanwhile
 * refuse to call a SKU unknown.
 */
export class AvailabilityReadModel {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(channel: string): string {
    return channelKey(this.prefix, channel);
  }

  private get epochKey(): string {
    return `${this.prefix}availability:epoch`;
  }

  /** True when a full publish completed since Redis last lost its data. */
  async complete(): Promise<boolean> {
    return (await this.redis.exists(this.epochKey)) === 1;
  }

  /** Starts a full publish; pass the token to `endFullPublish` once every SKU is written. */
  async beginFullPublish(): Promise<string> {
    const token = randomUUID();
    await this.redis.set(this.rebuildKey(token), '1', 'EX', REBUILD_MARKER_TTL_SECONDS);
    return token;
  }

  /**
   * Marks the model complete. False when Redis lost its data while the publish ran (its marker is gone):
   * the model is not complete, and the caller publishes in full again.
   */
  async endFullPublish(token: string, at = new Date()): Promise<boolean> {
    const done = await this.redis.eval(
      COMPLETE_SCRIPT,
      2,
      this.rebuildKey(token),
      this.epochKey,
      at.toISOString(),
    );
    return done === 1;
  }

  private rebuildKey(token: string): string {
    return `${this.prefix}availability:rebuild:${token}`;
  }

  /** Runs `listener` whenever the Redis connection is (again) ready, e.g. after Redis restarted. */
  onReady(listener: () => void): () => void {
    this.redis.on('ready', listener);
    return () => this.redis.removeListener('ready', listener);
  }

  async publish(items: PublishedAvailability[], batchSize = 500): Promise<void> {
    for (let i = 0; i < items.length; i += batchSize) {
      const batch = items.slice(i, i + batchSize);
      const keys = batch.flatMap((b) => [this.key(b.channel), changeFeedKey(this.prefix, b.channel)]);
      const args = batch.flatMap((b) => {
        const stored: Stored = {
          a: b.available,
          l: b.locations.map((l) => [l.location, l.available]),
          t: b.asOf,
          s: b.staleAt,
          z: b.staleAvailable,
        };
        return [b.sku, String(b.version), JSON.stringify(stored), b.channel];
      });
      await this.redis.eval(PUBLISH_SCRIPT, keys.length + 1, feedsKey(this.prefix), ...keys, ...args);
    }
  }

  /**
   * Every SKU the model holds for `channel`, in batches of about `count` (HSCAN: a SKU added or removed
   * while it runs may be missed or seen; one present throughout is seen at least once).
   */
  async *skus(channel: string, count = 1_000): AsyncGenerator<string[]> {
    let cursor = '0';
    do {
      // Fields and values alternate (NOVALUES needs Redis 7.4).
      const [next, flat] = await this.redis.hscan(this.key(channel), cursor, 'COUNT', count);
      cursor = next;
      const fields = flat.filter((_, i) => i % 2 === 0);
      if (fields.length > 0) yield fields;
    } while (cursor !== '0');
  }

  async read(channel: string, skus: string[], now = new Date()): Promise<ReadAvailability[]> {
    if (skus.length === 0) return [];
    const values = await this.redis.hmget(this.key(channel), ...skus);
    // A missing SKU is unknown only in a complete model; in a reset one it may just not be republished yet.
    if (values.some((v) => !v) && !(await this.complete())) throw new ReadModelRebuildingError();
    return skus.map((sku, i) => {
      const raw = values[i];
      if (!raw)
        return { sku, known: false, available: 0, locations: [], asOf: null, stale: false, staleAt: null };
      const stored = JSON.parse(raw.slice(raw.indexOf('|') + 1)) as Stored;
      const stale = stored.s !== null && now.getTime() >= Date.parse(stored.s);
      const cap = stale ? stored.z : stored.a;
      return {
        sku,
        known: true,
        available: cap,
        locations: stored.l.map(([location, available]) => ({
          location,
          available: Math.min(available, cap),
        })),
        asOf: stored.t,
        stale,
        staleAt: stored.s,
      };
    });
  }
}
