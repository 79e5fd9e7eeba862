import { DataSource, type DataSourceOptions } from 'typeorm';
import { InitialLedger1764000000000 } from './migrations/1764000000000-initial-ledger';

/** Every migration, in order. Listed explicitly: globs break in bundled or relocated builds. */
export const MIGRATIONS = [InitialLedger1764000000000];

export interface DataSourceSettings {
  url: string;
  poolSize?: number;
  applicationName?: string;
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
    logging: ['error'],
    extra: {
      max: settings.poolSize ?? 20,
      application_name: settings.applicationName ?? 'stockbridge',
      // Fail fast rather than queue forever when the pool or the server is exhausted.
      connectionTimeoutMillis: 10_000,
      idleTimeoutMillis: 30_000,
      statement_timeout: 15_000,
    },
  };
}

export async function openDataSource(settings: DataSourceSettings): Promise<DataSource> {
  const ds = new DataSource(dataSourceOptions(settings));
  await ds.initialize();
  return ds;
}

/** Applies pending migrations; safe to run from several processes at once (TypeORM takes a lock). */
export async function migrate(url: string): Promise<string[]> {
  const ds = await openDataSource({ url, poolSize: 2, applicationName: 'stockbridge-migrate' });
  try {
    const applied = await ds.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await ds.destroy();
  }
}
