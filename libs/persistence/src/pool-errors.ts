import { Logger } from '@nestjs/common';
import type { Pool } from 'pg';

/**
 * A pg Pool emits 'error' when an idle connection is closed by the server (a restart, a failover, a terminated
 * backend); without a listener that error ends the process. Logged instead: the pool opens a new connection on
 * the next query.
 */
export function logPoolErrors<P extends Pool>(pool: P, name: string): P {
  const log = new Logger(name);
  pool.on('error', (err) => log.warn(`idle PostgreSQL connection lost: ${err.message}`));
  return pool;
}
