import type { FastifyRequest } from 'fastify';

/** A query parameter that must be a whole number in a range, or undefined when absent. */
export function intParam(
  value: unknown,
  min: number,
  max: number,
): { ok: true; value: number | undefined } | { ok: false } {
  if (value === undefined) return { ok: true, value: undefined };
  if (typeof value !== 'string' || !/^\d{1,10}$/.test(value)) return { ok: false };
  const n = Number(value);
  return n >= min && n <= max ? { ok: true, value: n } : { ok: false };
}

/** The absolute URL of `path` on the host the client called, as eBay writes `href`, `next` and `prev`. */
export function selfUrl(
  request: FastifyRequest,
  path: string,
  query: Record<string, string | number>,
): string {
  const qs = new URLSearchParams(
    Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]),
  ).toString();
  const host = request.headers.host;
  const base = host ? `${request.protocol}://${host}` : '';
  return `${base}${path}${qs ? `?${qs}` : ''}`;
}
