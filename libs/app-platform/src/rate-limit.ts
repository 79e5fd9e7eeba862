import proxyAddr from '@fastify/proxy-addr';
import fastifyRateLimit, { normalizeIP } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { problem, type Problem } from './problem';

/** One override of the default rate limit, as written in the configuration. */
export interface RateLimitRule {
  /** The selector as configured, for messages. */
  selector: string;
  channel?: string;
  /** `METHOD /path/{param}`. */
  route?: string;
  /** Requests per minute; 0 means no limit. */
  perMinute: number;
}

export const RATE_LIMIT_SELECTORS =
  '"channel:<code>", "route:<METHOD> <path>" or "channel:<code> route:<METHOD> <path>"';

const SELECTOR =
  /^(?:channel:(?<channel>[a-z0-9-]{1,32}))?\s*(?:route:(?<method>GET|HEAD|POST|PUT|PATCH|DELETE) (?<path>\/[A-Za-z0-9_./{}-]*))?$/;
const MAX_PER_MINUTE = 10_000_000;

/** Refused rate-limit settings; the message names every problem. */
export class RateLimitConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
    this.name = 'RateLimitConfigError';
  }
}

/**
 * Parses `{"channel:web": 6000, "route:POST /v1/reservations": 600, "channel:web route:POST /v1/reservations": 1200}`.
 * Paths are written as in the OpenAPI document (`/v1/reservations/{id}/confirm`).
 */
export function parseRateLimitRules(text: string | undefined): RateLimitRule[] {
  if (text === undefined || text.trim() === '') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new RateLimitConfigError([
      'must be a JSON object of selector → requests per minute, e.g. {"channel:web": 6000}',
    ]);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new RateLimitConfigError([
      'must be a JSON object of selector → requests per minute, e.g. {"channel:web": 6000}',
    ]);
  }
  const problems: string[] = [];
  const rules: RateLimitRule[] = [];
  const seen = new Map<string, string>();
  for (const [selector, value] of Object.entries(parsed)) {
    const match = SELECTOR.exec(selector.trim());
    const groups = match?.groups ?? {};
    if (!match || (!groups.channel && !groups.method)) {
      problems.push(`"${selector}" is not a selector; use ${RATE_LIMIT_SELECTORS}`);
      continue;
    }
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_PER_MINUTE) {
      problems.push(
        `"${selector}" must be a whole number of requests per minute from 0 (no limit) to ${MAX_PER_MINUTE}`,
      );
      continue;
    }
    const rule: RateLimitRule = {
      selector,
      perMinute: value,
      ...(groups.channel ? { channel: groups.channel } : {}),
      ...(groups.method ? { route: `${groups.method} ${groups.path}` } : {}),
    };
    const identity = `${rule.channel ?? '*'}|${rule.route ?? '*'}`;
    const earlier = seen.get(identity);
    if (earlier) problems.push(`"${selector}" repeats "${earlier}"`);
    seen.set(identity, selector);
    rules.push(rule);
  }
  if (problems.length > 0) throw new RateLimitConfigError(problems);
  return rules;
}

/** `/v1/reservations/:id/confirm` (Fastify) → `/v1/reservations/{id}/confirm` (OpenAPI, configuration). */
export function routeOf(method: string, fastifyUrl: string): string {
  return `${method.toUpperCase()} ${fastifyUrl.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`;
}

/** A counter in the store and its limit per window (0: not limited). */
export interface RateLimitBucket {
  key: string;
  limit: number;
}

/**
 * Which bucket a client's request counts against. A rule naming a route gives that route a bucket of its own
 * per client (the channel's rule for that route first, then the route's rule for every channel); every other
 * request of the client shares one bucket limited by its channel's rule, else by the default.
 */
export class RateLimitPolicy {
  private readonly channelRules = new Map<string, number>();
  private readonly routeRules = new Map<string, number>();
  private readonly channelRouteRules = new Map<string, number>();

  constructor(
    readonly defaultPerMinute: number,
    readonly rules: RateLimitRule[],
  ) {
    for (const r of rules) {
      if (r.channel && r.route) this.channelRouteRules.set(`${r.channel} ${r.route}`, r.perMinute);
      else if (r.route) this.routeRules.set(r.route, r.perMinute);
      else if (r.channel) this.channelRules.set(r.channel, r.perMinute);
    }
  }

  bucketFor(client: { id: string; channel: string }, route: string | undefined): RateLimitBucket {
    if (route !== undefined) {
      const limit = this.channelRouteRules.get(`${client.channel} ${route}`) ?? this.routeRules.get(route);
      if (limit !== undefined) return { key: `client:${client.id}:${route}`, limit };
    }
    return {
      key: `client:${client.id}`,
      limit: this.channelRules.get(client.channel) ?? this.defaultPerMinute,
    };
  }

  /** Rules whose route is not among `routes` (a typo would silently never apply). */
  unknownRoutes(routes: Iterable<string>): RateLimitRule[] {
    const known = new Set(routes);
    return this.rules.filter((r) => r.route !== undefined && !known.has(r.route));
  }
}

/** What one counted request left of its bucket. */
export interface RateLimitOutcome {
  limit: number;
  remaining: number;
  /** Seconds until the window ends and the bucket is full again. */
  resetSeconds: number;
  exceeded: boolean;
}

/**
 * Fixed one-minute windows per bucket in Redis (@fastify/rate-limit's store: one atomic INCR + PEXPIRE script),
 * so every replica counts against the same buckets. The window of a bucket starts at its first request.
 */
export class RedisRateLimiter {
  private constructor(
    private readonly check: ReturnType<FastifyInstance['createRateLimit']>,
    private readonly buckets: WeakMap<FastifyRequest, RateLimitBucket>,
  ) {}

  static async register(
    fastify: FastifyInstance,
    options: { redis: Redis; prefix: string; windowMs?: number },
  ): Promise<RedisRateLimiter> {
    const buckets = new WeakMap<FastifyRequest, RateLimitBucket>();
    const bucketOf = (request: FastifyRequest): RateLimitBucket => {
      const bucket = buckets.get(request);
      if (!bucket) throw new Error('rate limit checked without a bucket');
      return bucket;
    };
    await fastify.register(fastifyRateLimit, {
      // No route hooks: the app decides where the check runs (before the body is read).
      global: false,
      redis: options.redis,
      nameSpace: options.prefix,
      timeWindow: options.windowMs ?? 60_000,
      keyGenerator: (request) => bucketOf(request).key,
      max: (request) => bucketOf(request).limit,
      // Store errors reach the caller, which decides (the storefront fails open).
      skipOnError: false,
    });
    return new RedisRateLimiter(fastify.createRateLimit(), buckets);
  }

  /** Counts the request against `bucket`; undefined when the bucket has no limit. Rejects when Redis fails. */
  async hit(request: FastifyRequest, bucket: RateLimitBucket): Promise<RateLimitOutcome | undefined> {
    if (bucket.limit <= 0) return undefined;
    this.buckets.set(request, bucket);
    const result = await this.check(request);
    if (result.isAllowed) return undefined;
    return {
      limit: result.max,
      remaining: result.remaining,
      resetSeconds: Math.max(1, result.ttlInSeconds),
      exceeded: result.isExceeded,
    };
  }
}

/** The IETF draft headers (RateLimit-Limit, -Remaining, -Reset), and Retry-After once the limit is exceeded. */
export function setRateLimitHeaders(reply: FastifyReply, outcome: RateLimitOutcome): void {
  void reply.header('ratelimit-limit', String(outcome.limit));
  void reply.header('ratelimit-remaining', String(outcome.exceeded ? 0 : outcome.remaining));
  void reply.header('ratelimit-reset', String(outcome.resetSeconds));
  if (outcome.exceeded) void reply.header('retry-after', String(outcome.resetSeconds));
}

export function rateLimitedProblem(outcome: RateLimitOutcome): Problem {
  return problem(
    429,
    'rate-limited',
    `More than ${outcome.limit} requests per minute; retry in ${outcome.resetSeconds} s (Retry-After).`,
  );
}

/**
 * Which peers may name the client in `X-Forwarded-For`, as Fastify's `trustProxy` reads it: `false` (none: the
 * client is the socket's peer), `true` (any: the left-most address), or comma-separated addresses, CIDR ranges
 * and the names `loopback`, `linklocal`, `uniquelocal`.
 */
export function trustedProxies(setting: string): (address: string, hop: number) => boolean {
  const value = setting.trim().toLowerCase();
  if (value === '' || value === 'false') return () => false;
  if (value === 'true') return () => true;
  return proxyAddr.compile(value.split(',').map((s) => s.trim()));
}

/**
 * The client's address: the socket's peer, or the nearest untrusted address of `X-Forwarded-For`. IPv6
 * addresses count by /64 (one host usually has a whole /64 to choose from).
 */
export function clientAddress(
  request: FastifyRequest,
  trust: (address: string, hop: number) => boolean,
): string {
  if (!request.raw.socket?.remoteAddress) return 'unknown';
  return normalizeIP(proxyAddr(request.raw, trust));
}
