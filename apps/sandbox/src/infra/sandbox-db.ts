import { Db } from '@stockbridge/persistence';
import { Pool } from 'pg';
import { SANDBOX_DDL, SANDBOX_SCHEMA_LOCK } from './sandbox-schema';

/** The sandbox's own pg pool (no ORM): the backends' state, one schema per backend. */
export class SandboxDb extends Db {
  constructor(pool: Pool) {
    super(pool);
  }

  static async connect(options: { databaseUrl: string; poolSize: number }): Promise<SandboxDb> {
    // Db guards the pool: a connection lost to a database restart is logged, never the end of the process.
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
}
