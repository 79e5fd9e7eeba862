import { DataSource, type DataSourceOptions } from 'typeorm';
import { InitialLedger1764000000000 } from './migrations/1764000000000-initial-ledger';
import { MessagingAndMapping1764200000000 } from './migrations/1764200000000-messaging-and-mapping';
import { OrdersAndReturns1764400000000 } from './migrations/1764400000000-orders-and-returns';
import { Reconciliation1764300000000 } from './migrations/1764300000000-reconciliation';
import { ReservationLimits1764500000000 } from './migrations/1764500000000-reservation-limits';
import { ReconciliationExceptionLifecycle1764620000000 } from './migrations/1764620000000-reconciliation-exception-lifecycle';
import { PagedListIndexes1764700000000 } from './migrations/1764700000000-paged-list-indexes';
import { StoreTransactions1764710000000 } from './migrations/1764710000000-store-transactions';
import { StoreBoundApiKeys1764720000000 } from './migrations/1764720000000-store-bound-api-keys';
import { MarketplaceListings1764730000000 } from './migrations/1764730000000-marketplace-listings';

/** Every migration, in order. Listed explicitly: globs break in bundled or relocated builds. */
export const MIGRATIONS = [
  InitialLedger1764000000000,
  MessagingAndMapping1764200000000,
  Reconciliation1764300000000,
  OrdersAndReturns1764400000000,
  ReservationLimits1764500000000,
  ReconciliationExceptionLifecycle1764620000000,
  PagedListIndexes1764700000000,
  StoreTransactions1764710000000,
  StoreBoundApiKeys1764720000000,
  MarketplaceListings1764730000000,
];

export interface DataSourceSettings {
  url: string;
  poolSize?: number;
  applicationName?: string;
  /** How long a caller waits for a pooled connection before failing (default 10 s). */
  connectionTimeoutMs?: number;
}

export function dataSourceOptions(settings: DataSourceSettings): DataSourceOptions {
  return {
    type: 'postgres',
    url: settings.url,
    synchronize: false,
    migrationsRun: false,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    entities: [],
    // Failed queries surface as errors to their callers, which log them; TypeORM's own printing would put
    // non-JSON lines (and expected constraint violations) into the logs.
    logging: false,
    extra: {
      max: settings.poolSize ?? 20,
      application_name: settings.applicationName ?? 'stockbridge',
      // Fail fast rather than queue forever when the pool or the server is exhausted.
      connectionTimeoutMillis: settings.connectionTimeoutMs ?? 10_000,
      idleTimeoutMillis: 30_000,
      statement_timeout: 15_000,
      // TCP keep-alive: a connection whose server vanished without closing it (a failover) is found dead.
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
    },
  };
}

export async function openDataSource(settings: DataSourceSettings): Promise<DataSource> {
  const ds = new DataSource(dataSourceOptions(settings));
  await ds.initialize();
  return ds;
}

/** Session-level advisory lock key that serialises migrations across processes. */
const MIGRATION_LOCK = 7_246_001;

/**
 * Applies pending migrations. Safe to run from several processes at once: an advisory lock makes the
 * others wait, after which they find nothing left to apply.
 */
export async function migrate(url: string): Promise<string[]> {
  const ds = await openDataSource({ url, poolSize: 3, applicationName: 'stockbridge-migrate' });
  const lock = ds.createQueryRunner();
  try {
    await lock.connect();
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      const applied = await ds.runMigrations({ transaction: 'each' });
      return applied.map((m) => m.name);
    } finally {
      await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    await lock.release();
    await ds.destroy();
  }
}
