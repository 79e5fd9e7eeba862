import { Pool, type PoolClient, type QueryResultRow } from 'pg';
import { SANDBOX_DDL, SANDBOX_SCHEMA_LOCK } from './sandbox-schema';

const RETRYABLE = new Set(['40001', '40P01']); // serialization failure, deadlock detected

/** The sandbox's own pg pool (no ORM): the backends' state, one schema per backend. */
export class SandboxDb {
  constructor(readonly pool: Pool) {}

  static async connect(options: { databaseUrl: string; poolSize: number }): Promise<SandboxDb> {
    const db = new SandboxDb(
      new Pool({ connectionString: options.databaseUrl, max: options.poolSize, application_name: 'sandbox' }),
    );
    try {
      await db.createSchemas();
    } catch (err) {
      await db.pool.end();
      throw err;
    }
    return db;
  }

  /** Creates the schemas and tables if missing; serialized across instances by an advisory lock. */
  async createSchemas(): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('SELECT pg_advisory_lock(hashtext($1))', [SANDBOX_SCHEMA_LOCK]);
      try {
        await client.query(SANDBOX_DDL);
      } finally {
        await client.query('SELECT pg_advisory_unlock(hashtext($1))', [SANDBOX_SCHEMA_LOCK]);
      }
    } finally {
      client.release();
    }
  }

  query<R extends QueryResultRow = QueryResultRow>(text: string, values?: unknown[]) {
    return this.pool.query<R>(text, values);
  }

  /** Runs `fn` in one transaction, retrying the whole of it on deadlock or serialization failure. */
  async tx<T>(fn: (sql: PoolClient) => Promise<T>, attempts = 3): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const client = await this.pool.connect();
      let broken = false;
      try {
        await client.query('BEGIN');
        const result = await fn(client);
        await client.query('COMMIT');
        return result;
      } catch (err) {
        try {
          await client.query('ROLLBACK');
        } catch {
          broken = true;
        }
        const code = (err as { code?: string }).code;
        if (code && RETRYABLE.has(code) && attempt < attempts) continue;
        throw err;
      } finally {
        client.release(broken);
      }
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
