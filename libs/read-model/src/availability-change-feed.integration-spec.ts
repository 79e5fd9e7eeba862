import { randomBytes } from 'node:crypto';
import type { PublishedAvailability } from '@stockbridge/canonical';
import { Redis } from 'ioredis';
import { TEST_REDIS_URL } from '../../../test/support/environment';
import { AvailabilityChangeFeed, ChangeFeedLostError } from './availability-change-feed';
import { AvailabilityReadModel } from './availability-read-model';

const figure = (
  channel: string,
  sku: string,
  available: number,
  version: number,
  extra: Partial<PublishedAvailability> = {},
): PublishedAvailability => ({
  channel,
  sku,
  available,
  locations: [{ location: 'WH-1', available }],
  asOf: new Date().toISOString(),
  staleAt: null,
  staleAvailable: available,
  version,
  ...extra,
});

/** The change feed against the real Redis, under a key prefix of this test's own. */
describe('availability change feed', () => {
  const prefix = `sbt:feed_${randomBytes(3).toString('hex')}:`;
  let redis: Redis;
  let model: AvailabilityReadModel;
  let feed: AvailabilityChangeFeed;

  const wipe = async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
  };
  const entries = async () => (await redis.xrange(feed.key, '-', '+')).map(([, f]) => f[1]);

  beforeAll(() => {
    redis = new Redis(TEST_REDIS_URL);
    model = new AvailabilityReadModel(redis, prefix);
  });

  afterAll(async () => {
    await wipe();
    redis.disconnect();
  });

  beforeEach(async () => {
    await wipe();
    feed = new AvailabilityChangeFeed(redis, prefix, 'marketplace', 'pusher', 'one');
  });

  it('appends nothing for a channel without a feed', async () => {
    await model.publish([figure('marketplace', 'A', 5, 1)]);
    expect(await redis.exists(feed.key)).toBe(0);
    expect(await model.read('marketplace', ['A'])).toEqual([expect.objectContaining({ available: 5 })]);
  });

  it('appends a SKU only when the figure a reader sees changes, for registered channels only', async () => {
    await feed.register();
    expect(await feed.registered()).toBe(true);
    await model.publish([figure('marketplace', 'A', 5, 1), figure('web', 'A', 9, 1)]);
    expect(await entries()).toEqual(['A']);
    // Republished (newer version, new asOf) with the same figure: not a change.
    await model.publish([figure('marketplace', 'A', 5, 2)]);
    expect(await entries()).toEqual(['A']);
    // An older version is not written, so not fed either.
    await model.publish([figure('marketplace', 'A', 1, 1)]);
    expect(await entries()).toEqual(['A']);
    await model.publish([figure('marketplace', 'A', 4, 3)]);
    const staleAt = new Date(Date.now() + 60_000).toISOString();
    await model.publish([figure('marketplace', 'A', 4, 4, { staleAt, staleAvailable: 0 })]);
    await model.publish([figure('marketplace', 'A', 4, 5, { staleAt, staleAvailable: 0 })]);
    await model.publish([figure('marketplace', 'A', 4, 6, { staleAt: null, staleAvailable: 4 })]);
    expect(await entries()).toEqual(['A', 'A', 'A', 'A']);
    expect(await redis.exists(`${prefix}availability:changes:web`)).toBe(0);
    await feed.unregister();
    await model.publish([figure('marketplace', 'A', 7, 7)]);
    expect(await entries()).toHaveLength(4);
  });

  it('delivers entries through the group until acknowledged, again after a rewind', async () => {
    await feed.register();
    expect(await feed.ensureGroup()).toBe(true);
    expect(await feed.ensureGroup()).toBe(false);
    await model.publish([figure('marketplace', 'A', 1, 1), figure('marketplace', 'B', 2, 1)]);
    const first = await feed.read(10, 100);
    expect(first.map((e) => e.sku)).toEqual(['A', 'B']);
    // Not acknowledged: new reads do not see them, a rewind (or a restart) does.
    expect(await feed.read(10, 50)).toEqual([]);
    feed.rewind();
    expect((await feed.read(10, 50)).map((e) => e.sku)).toEqual(['A', 'B']);
    await feed.ack(first.map((e) => e.id));
    const restarted = new AvailabilityChangeFeed(redis, prefix, 'marketplace', 'pusher', 'one');
    expect(await restarted.read(10, 50)).toEqual([]);
    await model.publish([figure('marketplace', 'A', 3, 2)]);
    expect((await restarted.read(10, 100)).map((e) => e.sku)).toEqual(['A']);
    expect(await feed.lag()).toBe(0);
  });

  it('reports a feed lost with Redis', async () => {
    await feed.register();
    await feed.ensureGroup();
    await wipe();
    expect(await feed.registered()).toBe(false);
    await expect(feed.read(10, 50)).rejects.toBeInstanceOf(ChangeFeedLostError);
    expect(await feed.ensureGroup()).toBe(true);
    expect(await feed.read(10, 50)).toEqual([]);
  });

  it('reports entries trimmed before the group read them, once', async () => {
    await feed.register();
    await feed.ensureGroup();
    await model.publish([figure('marketplace', 'A', 1, 1)]);
    expect(await feed.trimmedUnread()).toBe(false);
    await model.publish([figure('marketplace', 'B', 1, 1), figure('marketplace', 'C', 1, 1)]);
    await redis.xtrim(feed.key, 'MAXLEN', 1);
    expect(await feed.trimmedUnread()).toBe(true);
    expect(await feed.trimmedUnread()).toBe(false);
    // What survived the trim is still delivered.
    expect((await feed.read(10, 50)).map((e) => e.sku)).toEqual(['C']);
  });

  it('lists every SKU of a channel', async () => {
    const skus = Array.from({ length: 2_500 }, (_, i) => `S-${i}`);
    await model.publish(skus.map((s) => figure('marketplace', s, 1, 1)));
    const seen = new Set<string>();
    for await (const batch of model.skus('marketplace', 500)) for (const s of batch) seen.add(s);
    expect(seen.size).toBe(2_500);
  });
});
