import { type Problem, problem } from './problem';

/** Seconds a client should wait before retrying a request refused because a dependency is away. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 1;

// Connection exception (class 08), the server shutting down or starting (57P01-57P03), too many connections,
// and a statement cancelled by the server (a failover, or the statement timeout under overload).
const PG_UNAVAILABLE = /^(08...|57P0[1-3]|53300|57014)$/;

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

// The pg driver, its pool, ioredis and BullMQ say "the connection is gone" in words, not codes.
const UNAVAILABLE_MESSAGES = [
  /^Connection terminated/,
  /not queryable/,
  /^timeout exceeded when trying to connect/,
  /^Cannot use a pool after calling end/,
  /^Connection is closed/,
  /^Stream isn't writeable/,
  /^Reached the max retries per request limit/,
  // Redis replies while it loads its data, after a failover to a replica, or while a cluster heals.
  /^(LOADING|READONLY|MASTERDOWN|CLUSTERDOWN|TRYAGAIN) /,
];

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  driverError?: unknown;
  errors?: unknown;
}

/**
 * True when `error` says PostgreSQL or Redis cannot be reached or is restarting, rather than that the
 * request or the code is wrong: the request may well succeed when retried a moment later. Looks through
 * wrappers (TypeORM's `driverError`, `cause`, the `AggregateError` of a refused dual-stack connect).
 */
export function isDependencyUnavailable(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 4) return false;
  const e = error as ErrorLike;
  if (e.name === 'MaxRetriesPerRequestError') return true;
  if (typeof e.code === 'string' && (PG_UNAVAILABLE.test(e.code) || NETWORK_CODES.has(e.code))) return true;
  if (typeof e.message === 'string' && UNAVAILABLE_MESSAGES.some((m) => m.test(e.message as string)))
    return true;
  const inner = [e.driverError, e.cause, ...(Array.isArray(e.errors) ? (e.errors as unknown[]) : [])];
  return inner.some((i) => isDependencyUnavailable(i, depth + 1));
}

/**
 * 503 `service-unavailable`: retryable, with `retryAfter` (seconds) that the problem filter also sends as the
 * `Retry-After` header. Names no dependency and no driver text.
 */
export function serviceUnavailable(): Problem {
  return problem(
    503,
    'service-unavailable',
    'The database or Redis behind this service is unavailable for a moment (a restart, a failover or overload); retry shortly.',
    { retryAfter: UNAVAILABLE_RETRY_AFTER_SECONDS },
  );
}

/** The `Retry-After` header (seconds) a problem asks for, from its `retryAfter` extension member. */
export function retryAfterHeader(p: Problem): string | undefined {
  const seconds = p.retryAfter;
  return typeof seconds === 'number' && Number.isInteger(seconds) && seconds >= 0
    ? String(seconds)
    : undefined;
}
