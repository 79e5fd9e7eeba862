import { randomBytes } from 'node:crypto';
import type { PublishedAvailability } from '@stockbridge/canonical';
import { Redis } from 'ioredis';
import { TEST_REDIS_URL } from '../../../test/support/environment';
import { AvailabilityReadModel } from './availability-read-model';
import { ReadModelRebuildingError } from './read-model-rebuilding.error';

const figure = (sku: string, available: number, version = 1): PublishedAvailability => ({
  channel: 'web',
  sku,
  available,
  locations: [{ location: 'WH-1', available }],
  asOf: new Date().toISOString(),
  staleAt: null,
  staleAvailable: available,
  version,
});

/** The read model against the real Redis, under a key prefix of this test's own. */
describe('availability read model after Redis lost its data', () => {
  const prefix = `sbt:readmodel_${randomBytes(3).toString('hex')}:`;
  let redis: Redis;
  let model: AvailabilityReadModel;

  const wipe = async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
  };

  beforeAll(() => {
    redis = new Redis(TEST_REDIS_URL);
    model = new AvailabilityReadModel(redis, prefix);
  });

  afterAll(async () => {
    await wipe();
    redis.disconnect();
  });

  beforeEach(wipe);

  it('calls a SKU unknown only once a full publish completed', async () => {
    await model.publish([figure('A', 5)]);
    await expect(model.read('web', ['A', 'NOPE'])).rejects.toBeInstanceOf(ReadModelRebuildingError);
    const token = await model.beginFullPublish();
    await model.publish([figure('A', 5)]);
    expect(await model.endFullPublish(token)).toBe(true);
    expect(await model.complete()).toBe(true);
    const [a, nope] = await model.read('web', ['A', 'NOPE']);
    expect(a).toMatchObject({ known: true, available: 5 });
    expect(nope).toMatchObject({ known: false, available: 0 });
  });

  it('serves the SKUs it holds while incomplete', async () => {
    await model.publish([figure('A', 7)]);
    expect(await model.read('web', ['A'])).toEqual([expect.objectContaining({ known: true, available: 7 })]);
  });

  it('does not count a full publish complete when Redis was emptied while it ran', async () => {
    const token = await model.beginFullPublish();
    await model.publish([figure('A', 5)]);
    await wipe(); // the reset, half-way through
    await model.publish([figure('B', 3)]);
    expect(await model.endFullPublish(token)).toBe(false);
    expect(await model.complete()).toBe(false);
    await expect(model.read('web', ['A', 'B'])).rejects.toBeInstanceOf(ReadModelRebuildingError);
  });

  it('is incomplete again once the epoch key is gone', async () => {
    const token = await model.beginFullPublish();
    await model.publish([figure('A', 5)]);
    expect(await model.endFullPublish(token)).toBe(true);
    await wipe();
    expect(await model.complete()).toBe(false);
  });
});
