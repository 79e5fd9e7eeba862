import { createHash } from 'node:crypto';
import type { Pool, PoolClient, QueryResultRow } from 'pg';
import type { DataSource } from 'typeorm';
import { guardPool } from './pool-errors';

export interface Sql {
  query<R extends QueryResultRow = QueryResultRow>(
    text: string,
    values?: unknown[],
  ): Promise<{ rows: R[]; rowCount: number | null }>;
}

const RETRYABLE = new Set(['40001', '40P01']); // serialization failure, deadlock detected

/**
 * Thin access to the pg pool TypeORM manages: ledger operations are hand-written SQL whose atomicity
 * we want to see on the page, so they bypass the ORM's query builder but share its connections.
 */
export class Db {
  constructor(readonly pool: Pool) {
    guardPool(pool, 'Db');
  }

  static fromDataSource(ds: DataSource): Db {
    const driver = ds.driver as unknown as { master: Pool };
    return new Db(driver.master);
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
}

const statementNames = new Map<string, string>();

/**
 * A named (prepared) statement for a hot-path query: PostgreSQL parses and plans it once per connection
 * instead of on every call. The name is derived from the text, so equal texts share one statement.
 */
export function prepared(text: string, values: unknown[]): { name: string; text: string; values: unknown[] } {
  let name = statementNames.get(text);
  if (!name) {
    name = `sb_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    statementNames.set(text, name);
  }
  return { name, text, values };
}
