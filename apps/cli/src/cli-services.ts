import { ApiKeys } from '@stockbridge/api-keys';
import { Availability, BufferedChannelAvailability, Catalog, Db, Movements } from '@stockbridge/ledger';
import { ensureDatabase, migrate, openDataSource } from '@stockbridge/persistence';
import { AvailabilityReadModel } from '@stockbridge/read-model';
import { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { type CliConfig, redactUrl } from './cli.config';
import { CliError } from './cli.error';
import type { CliOutput } from './output';

export interface DatabasePreparation {
  database: string;
  created: boolean;
  /** Names of the migrations this run applied. */
  applied: string[];
}

/** The ledger and its neighbours, wired by hand: the CLI is a short-lived process, not a Nest app. */
export class CliServices {
  readonly db: Db;
  readonly catalog: Catalog;
  readonly movements: Movements;
  readonly availability: Availability;
  readonly apiKeys: ApiKeys;

  private constructor(
    readonly config: CliConfig,
    readonly preparation: DatabasePreparation,
    private readonly ds: DataSource,
    private readonly redis: Redis | null,
    /** Null when REDIS_URL is not set or the command does not publish. */
    readonly readModel: AvailabilityReadModel | null,
  ) {
    this.db = Db.fromDataSource(ds);
    // No channel cache: a CLI run must see the channels it has just written.
    this.catalog = new Catalog(this.db, 0);
    this.movements = new Movements(this.db);
    this.availability = new Availability(this.db, this.catalog, new BufferedChannelAvailability());
    this.apiKeys = new ApiKeys(this.db.pool, 0);
  }

  /**
   * Creates the database when missing, applies pending migrations, then connects (and to Redis if asked).
   * What the preparation did is noted on stderr unless `quiet` (the command reports it itself).
   */
  static async open(
    config: CliConfig,
    out: CliOutput,
    options: { redis: boolean; quiet?: boolean },
  ): Promise<CliServices> {
    const preparation = await prepareDatabase(config.DATABASE_URL);
    if (!options.quiet) {
      if (preparation.created) out.note(`created database ${preparation.database}`);
      if (preparation.applied.length > 0) out.note(`applied migrations: ${preparation.applied.join(', ')}`);
    }
    const ds = await openDataSource({
      url: config.DATABASE_URL,
      poolSize: 4,
      applicationName: 'stockbridge-cli',
    });
    let redis: Redis | null = null;
    try {
      if (options.redis && config.REDIS_URL) redis = await connectRedisOnce(config.REDIS_URL);
    } catch (err) {
      await ds.destroy();
      throw err;
    }
    const readModel = redis ? new AvailabilityReadModel(redis, config.REDIS_PREFIX) : null;
    return new CliServices(config, preparation, ds, redis, readModel);
  }

  async close(): Promise<void> {
    if (this.redis) await this.redis.quit().catch(() => this.redis?.disconnect());
    await this.ds.destroy();
  }
}

const CONNECTION_ERRORS = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'ECONNRESET',
  'EHOSTUNREACH',
  '28P01',
  '28000',
]);

/**
 * Migrating first makes every command safe on a fresh or outdated database and costs one query when the
 * schema is current. The database is only created when it is missing (SQLSTATE 3D000), so an existing
 * database needs no rights on the server's `postgres` database.
 */
export async function prepareDatabase(url: string): Promise<DatabasePreparation> {
  const database = decodeURIComponent(new URL(url).pathname.replace(/^\//, '')) || '(default)';
  try {
    try {
      return { database, created: false, applied: await migrateWithRetry(url) };
    } catch (err) {
      if (errorCode(err) !== '3D000') throw err;
      let created = true;
      try {
        await ensureDatabase(url);
      } catch (createErr) {
        // Two CLI runs racing to create the database: the loser's CREATE DATABASE fails on pg_database's
        // unique index (23505) rather than with "already exists" (42P04), which ensureDatabase expects.
        if (errorCode(createErr) !== '23505') throw createErr;
        created = false;
      }
      return { database, created, applied: await migrateWithRetry(url) };
    }
  } catch (err) {
    const code = errorCode(err);
    if (code && CONNECTION_ERRORS.has(code)) {
      throw new CliError(`cannot connect to PostgreSQL at ${redactUrl(url)}: ${errorMessage(err)}`);
    }
    throw err;
  }
}

// Duplicate key, duplicate table, duplicate object: what a concurrent first migration of the same database
// leaves the loser with (both create TypeORM's schema_migrations table, or run the same migration).
const MIGRATION_RACE = new Set(['23505', '42P07', '42710']);

/** Runs the migrations, again after a short pause when another process was migrating the same database. */
async function migrateWithRetry(url: string, attempts = 3): Promise<string[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await migrate(url);
    } catch (err) {
      const code = errorCode(err);
      if (!code || !MIGRATION_RACE.has(code) || attempt >= attempts) throw err;
      await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
    }
  }
}

/**
 * One attempt, no reconnects: a CLI run should fail at once when Redis is down rather than retry in the
 * background. Otherwise as read-model's connectRedis, which offers no hook for the error listener that keeps
 * ioredis from printing "Unhandled error event" with a stack trace.
 */
async function connectRedisOnce(url: string): Promise<Redis> {
  let lastError: unknown;
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 3_000,
    lazyConnect: true,
    retryStrategy: () => null,
  });
  redis.on('error', (err) => {
    lastError = err;
  });
  try {
    await redis.connect();
    return redis;
  } catch (err) {
    // Without reconnects the client has ended already; disconnect() would only arm a 2 s stream timer.
    if (redis.status !== 'end') redis.disconnect();
    throw new CliError(`cannot connect to Redis at ${redactUrl(url)}: ${errorMessage(lastError ?? err)}`);
  }
}

export function errorCode(err: unknown): string | undefined {
  const e = err as { code?: unknown; errors?: unknown[] };
  if (typeof e?.code === 'string') return e.code;
  if (Array.isArray(e?.errors) && e.errors.length > 0) return errorCode(e.errors[0]);
  return undefined;
}

/** The message of an error, looking inside AggregateError (whose own message is often empty). */
export function errorMessage(err: unknown): string {
  const e = err as { message?: unknown; errors?: unknown[]; code?: unknown };
  if (typeof e?.message === 'string' && e.message !== '') return e.message;
  if (Array.isArray(e?.errors) && e.errors.length > 0) return errorMessage(e.errors[0]);
  if (typeof e?.code === 'string') return e.code;
  return String(err);
}
