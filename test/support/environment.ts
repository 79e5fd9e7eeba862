import { randomBytes } from 'node:crypto';
import { ensureDatabase, dropDatabase, migrate, withDatabaseName } from '@stockbridge/persistence';
import { Redis } from 'ioredis';

export const TEST_DATABASE_URL =
  process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface TestEnvironment {
  databaseUrl: string;
  redisUrl: string;
  redisPrefix: string;
  teardown(): Promise<void>;
}

/** A database and a Redis key prefix of this test file's own, migrated; removed again by teardown. */
export async function createTestEnvironment(label: string): Promise<TestEnvironment> {
  const id = `${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${process.pid}_${randomBytes(3).toString('hex')}`;
  const databaseUrl = withDatabaseName(TEST_DATABASE_URL, `sbt_${id}`.slice(0, 63));
  await ensureDatabase(databaseUrl);
  await migrate(databaseUrl);
  const redisPrefix = `sbt:${id}:`;
  return {
    databaseUrl,
    redisUrl: TEST_REDIS_URL,
    redisPrefix,
    async teardown() {
      const redis = new Redis(TEST_REDIS_URL);
      try {
        let cursor = '0';
        do {
          const [next, keys] = await redis.scan(cursor, 'MATCH', `${redisPrefix}*`, 'COUNT', 1000);
          if (keys.length > 0) await redis.del(...keys);
          cursor = next;
        } while (cursor !== '0');
      } finally {
        redis.disconnect();
      }
      await dropDatabase(databaseUrl);
    },
  };
}
