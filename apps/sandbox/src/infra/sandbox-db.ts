import { Logger } from '@nestjs/common';
import { Pool, type PoolClient, type QueryResultRow } from 'pg';
import { SANDBOX_DDL, SANDBOX_SCHEMA_LOCK } from './sandbox-schema';

const RETRYABLE = new Set(['40001', '40P01']); // serialization failure, deadlock detected

/**
 * The sandbox's own pg pool (no ORM): the backends' state, one schema per backend. The sandbox stands in
 * for other vendors' systems, so it shares none of the platform's persistence code (docs/adr/0002-layering-lint.md).
 */
export class SandboxDb {
  private readonly log = new Logger(SandboxDb.name);
  private lastReport = 0;

  constructor(readonly pool: Pool) {
    // A connection lost to a database restart is logged, never the end of the process: pg emits 'error' on
    // the client whose connection died, so every client gets a listener for its whole life.
    const guarded = new WeakSet<PoolClient>();
    const guard = (client: PoolClient) => {
      if (guarded.has(client)) return;
      guarded.add(client);
      client.on('error', (err) => this.connectionLost(err));
    };
    pool.on('connect', guard);
    pool.on('acquire', guard);
    pool.on('error', () => undefined);
  }

  static async connect(options: { databaseUrl: string; poolSize: number }): Promise<SandboxDb> {
    const db = new SandboxDb(
      new Pool({
        connectionString: options.databaseUrl,
        max: options.poolSize,
        application_name: 'sandbox',
        keepAlive: true,
      }),
    );
    try {
      await db.createSchemas();
    } catch (err) {
      await db.pool.end();
      throw err;
    }
    return db;
  }

  query<R extends QueryResultRow = QueryResultRow>(text: string, values?: unknown[]) {
    return this.pool.query<R>(text, values);
  }

  /**
   * Runs `fn` in one READ COMMITTED transaction, retrying the whole of it on deadlock or serialization failure,
   * and once on a pooled connection found dead at BEGIN (after a database restart), before `fn` ran.
   */
  async tx<T>(fn: (sql: PoolClient) => Promise<T>, attempts = 3): Promise<T> {
    let staleRetried = false;
    for (let attempt = 1; ; attempt++) {
      const client = await this.pool.connect();
      let broken = false;
      let begun = false;
      try {
        await client.query('BEGIN');
        begun = true;
        const result = await fn(client);
        await client.query('COMMIT');
        return result;
      } catch (err) {
        try {
          await client.query('ROLLBACK');
        } catch {
          broken = true;
        }
        if (!begun && broken && !staleRetried) {
          staleRetried = true;
          attempt--;
          continue;
        }
        const code = (err as { code?: string }).code;
        if (code && RETRYABLE.has(code) && attempt < attempts) continue;
        throw err;
      } finally {
        // A broken connection leaves the pool instead of being handed to the next caller.
        client.release(broken);
      }
    }
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

  async close(): Promise<void> {
    await this.pool.end();
  }

  private connectionLost(err: Error): void {
    const now = Date.now();
    if (now - this.lastReport < 5_000) return;
    this.lastReport = now;
    this.log.warn(`PostgreSQL connection lost: ${err.message}`);
  }
}
