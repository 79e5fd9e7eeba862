import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import { type ApiClient, ApiKeys, ApiKeysUnavailableError } from '@stockbridge/api-keys';
import { ConfigError } from '@stockbridge/config';
import {
  clientAddress,
  type Metrics,
  parseRateLimitRules,
  problem,
  type Problem,
  type RateLimitBucket,
  type RateLimitOutcome,
  RateLimitPolicy,
  rateLimitedProblem,
  RedisRateLimiter,
  routeOf,
  sendProblem,
  setRateLimitHeaders,
  trustedProxies,
} from '@stockbridge/app-platform';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import type { Counter } from 'prom-client';
import type { ChannelApiConfig } from './channel-api.config';

/** Operations endpoints: neither authenticated nor rate-limited. */
const OPEN_PATH = /^\/(?:health|metrics|docs)(?:[/?.]|$)/;

type Authentication = { client: ApiClient } | { problem: Problem; retryAfter?: number };

/**
 * A channel API's front door, run in Fastify's onRequest phase, before the body is read: authenticates
 * `Authorization: Bearer <api key>` against the active keys held in memory, counts the request against its
 * rate-limit bucket in Redis (per API key, or per client address without a valid key), and answers 401 or 429
 * without reading the body. ApiKeyGuard then checks the operation's scope against `request.client`.
 * Provided by `channelApiProviders` (it owns a Redis connection); installed by the app's build function.
 */
export class ApiKeyGate implements OnApplicationShutdown {
  private readonly log = new Logger('ApiKeyGate');
  private readonly policy: RateLimitPolicy;
  private readonly trust: (address: string, hop: number) => boolean;
  private readonly exceeded: Counter<'principal'>;
  private readonly storeErrors: Counter<never>;
  private limiter?: RedisRateLimiter;
  private lastStoreErrorLog = 0;

  constructor(
    private readonly config: ChannelApiConfig,
    private readonly clients: ApiKeys,
    metrics: Metrics,
    /** A connection of the gate's own, with a short command timeout: a slow Redis must not hold requests. */
    private readonly redis: Redis,
  ) {
    this.policy = new RateLimitPolicy(config.RATE_LIMIT_PER_MINUTE, parseRateLimitRules(config.RATE_LIMITS));
    this.trust = trustedProxies(config.TRUST_PROXY);
    this.exceeded = metrics.counter(
      'rate_limit_exceeded_total',
      'Requests refused with 429, by whose bucket was exceeded (an API key or a client address)',
      ['principal'],
    );
    this.storeErrors = metrics.counter(
      'rate_limit_store_errors_total',
      'Requests let through unlimited because the rate-limit store (Redis) failed',
      [],
    );
  }

  /** Adds the gate to every route of `fastify`; call before the app is initialised (routes registered). */
  async install(fastify: FastifyInstance): Promise<void> {
    this.limiter = await RedisRateLimiter.register(fastify, {
      redis: this.redis,
      prefix: `${this.config.REDIS_PREFIX}rate-limit:`,
    });
    fastify.decorateRequest('client', null);
    const routes = new Set<string>();
    fastify.addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) routes.add(routeOf(method, route.url));
    });
    fastify.addHook('onReady', async () => {
      const unknown = this.policy.unknownRoutes(routes);
      if (unknown.length === 0) return;
      const known = [...routes].filter((r) => r.includes(' /v1/') && !r.startsWith('HEAD ')).sort();
      throw new ConfigError(
        unknown.map(
          (r) =>
            `RATE_LIMITS: "${r.selector}" names no route of this API; routes are written like ${known.map((k) => `"${k}"`).join(', ')}`,
        ),
      );
    });
    fastify.addHook('onRequest', (request, reply) => this.gate(request, reply));
  }

  private async gate(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
    if (OPEN_PATH.test(request.url)) return undefined;
    const auth = await this.authenticate(request);
    const route = request.routeOptions.url;
    const bucket: RateLimitBucket =
      'client' in auth
        ? this.policy.bucketFor(auth.client, route ? routeOf(request.method, route) : undefined)
        : {
            key: `address:${clientAddress(request, this.trust)}`,
            limit: this.config.RATE_LIMIT_UNAUTHENTICATED_PER_MINUTE,
          };
    const outcome = await this.count(request, bucket);
    if (outcome) {
      setRateLimitHeaders(reply, outcome);
      if (outcome.exceeded) {
        this.exceeded.inc({ principal: 'client' in auth ? 'api-key' : 'address' });
        sendProblem(reply, request, rateLimitedProblem(outcome));
        return reply;
      }
    }
    if ('problem' in auth) {
      if (auth.retryAfter) void reply.header('retry-after', String(auth.retryAfter));
      sendProblem(reply, request, auth.problem);
      return reply;
    }
    (request as FastifyRequest & { client: ApiClient }).client = auth.client;
    return undefined;
  }

  private async authenticate(request: FastifyRequest): Promise<Authentication> {
    const header = request.headers.authorization;
    if (!header || !header.startsWith('Bearer ') || header.length < 8 || header.length > 512) {
      return {
        problem: problem(401, 'unauthorized', 'Send your API key as "Authorization: Bearer <key>".'),
      };
    }
    try {
      const client = await this.clients.verify(header.slice(7).trim());
      if (client) return { client };
      return { problem: problem(401, 'unauthorized', 'The API key is unknown or revoked.') };
    } catch (err) {
      if (!(err instanceof ApiKeysUnavailableError)) throw err;
      this.log.warn(err.message);
      return {
        problem: problem(503, 'upstream-unavailable', 'API keys cannot be checked right now; retry shortly.'),
        retryAfter: 1,
      };
    }
  }

  /** Fails open: when Redis cannot count, the request goes through unlimited (logged, counted in metrics). */
  private async count(
    request: FastifyRequest,
    bucket: RateLimitBucket,
  ): Promise<RateLimitOutcome | undefined> {
    try {
      return await this.limiter?.hit(request, bucket);
    } catch (err) {
      this.storeErrors.inc();
      if (Date.now() - this.lastStoreErrorLog > 10_000) {
        this.lastStoreErrorLog = Date.now();
        this.log.warn(
          `rate limits not enforced: Redis failed (${err instanceof Error ? err.message : String(err)})`,
        );
      }
      return undefined;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => undefined);
  }
}
