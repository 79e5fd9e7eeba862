'use strict';
// Checks once, before any e2e file, that the real PostgreSQL and Redis answer; fails with a clear message if not.
const { Client } = require('pg');
const { Redis } = require('ioredis');

module.exports = async function globalSetup() {
  const dbUrl =
    process.env.TEST_DATABASE_URL ??
    process.env.DATABASE_URL ??
    'postgres://postgres@127.0.0.1:5432/postgres';
  const redisUrl = process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const pg = new Client({ connectionString: dbUrl, connectionTimeoutMillis: 5000 });
  try {
    await pg.connect();
    await pg.query('SELECT 1');
  } catch (err) {
    throw new Error(
      `e2e tests need PostgreSQL at ${dbUrl} (${err.message}); run them with npm test, which starts it`,
      { cause: err },
    );
  } finally {
    await pg.end().catch(() => {});
  }
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    throw new Error(
      `e2e tests need Redis at ${redisUrl} (${err.message}); run them with npm test, which starts it`,
      { cause: err },
    );
  } finally {
    redis.disconnect();
  }
};
