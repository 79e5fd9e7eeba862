import { Logger } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';

const guardedPools = new WeakSet<Pool>();
const guardedClients = new WeakSet<PoolClient>();

/**
 * Keeps a lost PostgreSQL connection (a restart, a failover, a terminated backend: `57P01 terminating
 * connection due to administrator command`) from ending the process. pg emits 'error' on the Client whose
 * connection died, and an 'error' event without a listener is thrown: the pool listens only while a client
 * is idle, so a client that is checked out between two queries of a transaction, or held for LISTEN, would
 * crash the app. Every client of the pool gets a listener of its own for its whole life; the caller of the
 * failed query gets its error as usual, and the pool drops the dead client when it is released.
 * Idempotent: guarding a pool twice changes nothing.
 */
export function guardPool<P extends Pool>(pool: P, name: string): P {
  if (guardedPools.has(pool)) return pool;
  guardedPools.add(pool);
  const log = new Logger(name);
  let lastReport = 0;
  let unreported = 0;
  const report = (err: Error) => {
    unreported++;
    const now = Date.now();
    if (now - lastReport < 5_000) return;
    log.warn(`PostgreSQL connection lost (${unreported} since the last report): ${err.message}`);
    lastReport = now;
    unreported = 0;
  };
  const guard = (client: PoolClient) => {
    if (guardedClients.has(client)) return;
    guardedClients.add(client);
    client.on('error', report);
  };
  // Clients made from now on, and any made before (by the first connect of the data source) when they are
  // next checked out.
  pool.on('connect', guard);
  pool.on('acquire', guard);
  // The pool re-emits the error of an idle client; the client's own listener has reported it already.
  pool.on('error', () => undefined);
  return pool;
}
