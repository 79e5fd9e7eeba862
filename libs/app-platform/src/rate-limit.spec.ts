import type { FastifyRequest } from 'fastify';
import {
  clientAddress,
  parseRateLimitRules,
  RateLimitConfigError,
  RateLimitPolicy,
  routeOf,
  trustedProxies,
} from './rate-limit';

const fakeRequest = (remoteAddress: string, forwardedFor?: string): FastifyRequest =>
  ({
    raw: {
      socket: { remoteAddress },
      connection: { remoteAddress },
      headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {},
    },
  }) as unknown as FastifyRequest;

function problemsOf(text: string): string[] {
  try {
    parseRateLimitRules(text);
  } catch (err) {
    if (err instanceof RateLimitConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('rate-limit settings', () => {
  it('reads channel, route and channel-and-route selectors', () => {
    expect(
      parseRateLimitRules(
        '{"channel:web": 6000, "route:POST /v1/reservations": 600, "channel:web route:POST /v1/reservations/{id}/confirm": 1200}',
      ),
    ).toEqual([
      { selector: 'channel:web', channel: 'web', perMinute: 6000 },
      { selector: 'route:POST /v1/reservations', route: 'POST /v1/reservations', perMinute: 600 },
      {
        selector: 'channel:web route:POST /v1/reservations/{id}/confirm',
        channel: 'web',
        route: 'POST /v1/reservations/{id}/confirm',
        perMinute: 1200,
      },
    ]);
    expect(parseRateLimitRules('')).toEqual([]);
    expect(parseRateLimitRules(undefined)).toEqual([]);
  });

  it('names every bad entry: unknown selectors, lowercase methods, bad numbers, repeats', () => {
    const problems = problemsOf(
      '{"chanel:web": 1, "route:post /v1/reservations": 1, "channel:pos": -1, "channel:app": 1.5, "route:GET /v1/availability": "60", "channel:web": 5, "channel:web ": 6}',
    );
    expect(problems).toEqual([
      expect.stringContaining('"chanel:web" is not a selector; use "channel:<code>"'),
      expect.stringContaining('"route:post /v1/reservations" is not a selector'),
      expect.stringContaining('"channel:pos" must be a whole number of requests per minute'),
      expect.stringContaining('"channel:app" must be a whole number'),
      expect.stringContaining('"route:GET /v1/availability" must be a whole number'),
      '"channel:web " repeats "channel:web"',
    ]);
  });

  it('refuses JSON that is not an object of limits', () => {
    for (const text of ['{', '[]', '6000', 'null']) {
      expect(problemsOf(text)).toEqual([expect.stringContaining('must be a JSON object')]);
    }
  });

  it('writes Fastify routes the way the settings name them', () => {
    expect(routeOf('post', '/v1/reservations/:id/confirm')).toBe('POST /v1/reservations/{id}/confirm');
  });
});

describe('RateLimitPolicy', () => {
  const web = { id: 'c1', channel: 'web' };
  const pos = { id: 'c2', channel: 'pos' };
  const app = { id: 'c3', channel: 'app' };
  const policy = new RateLimitPolicy(
    100,
    parseRateLimitRules(
      '{"channel:pos": 10, "route:POST /v1/reservations": 5, "channel:web route:POST /v1/reservations": 7, "channel:app": 0}',
    ),
  );

  it("counts a client's requests in one bucket limited by its channel's rule, else by the default", () => {
    expect(policy.bucketFor(web, 'GET /v1/availability')).toEqual({ key: 'client:c1', limit: 100 });
    expect(policy.bucketFor(pos, 'GET /v1/availability')).toEqual({ key: 'client:c2', limit: 10 });
    expect(policy.bucketFor(pos, undefined)).toEqual({ key: 'client:c2', limit: 10 });
    expect(policy.bucketFor(app, 'GET /v1/availability')).toEqual({ key: 'client:c3', limit: 0 });
  });

  it('gives a route with a rule a bucket of its own, the channel-and-route rule before the route rule', () => {
    expect(policy.bucketFor(web, 'POST /v1/reservations')).toEqual({
      key: 'client:c1:POST /v1/reservations',
      limit: 7,
    });
    expect(policy.bucketFor(pos, 'POST /v1/reservations')).toEqual({
      key: 'client:c2:POST /v1/reservations',
      limit: 5,
    });
  });

  it('finds rules naming routes the app does not have', () => {
    expect(policy.unknownRoutes(['GET /v1/availability']).map((r) => r.selector)).toEqual([
      'route:POST /v1/reservations',
      'channel:web route:POST /v1/reservations',
    ]);
    expect(policy.unknownRoutes(['POST /v1/reservations'])).toEqual([]);
  });
});

describe('client address', () => {
  it('ignores X-Forwarded-For unless the peer is a trusted proxy', () => {
    const request = fakeRequest('127.0.0.1', '203.0.113.9');
    expect(clientAddress(request, trustedProxies('false'))).toBe('127.0.0.1');
    expect(clientAddress(request, trustedProxies('loopback'))).toBe('203.0.113.9');
    expect(clientAddress(fakeRequest('198.51.100.1', '203.0.113.9'), trustedProxies('loopback'))).toBe(
      '198.51.100.1',
    );
  });

  it('takes the nearest address not of a trusted proxy, so a client cannot pick its own by prepending', () => {
    const request = fakeRequest('10.0.0.2', '192.0.2.66, 203.0.113.9, 10.0.0.1');
    expect(clientAddress(request, trustedProxies('10.0.0.0/8'))).toBe('203.0.113.9');
    expect(clientAddress(request, trustedProxies('true'))).toBe('192.0.2.66');
  });

  it('counts IPv6 clients by /64 and IPv4-mapped addresses as IPv4', () => {
    expect(clientAddress(fakeRequest('2001:db8:1:2:3:4:5:6'), trustedProxies('false'))).toBe(
      '2001:db8:1:2::',
    );
    expect(clientAddress(fakeRequest('::ffff:192.0.2.7'), trustedProxies('false'))).toBe('192.0.2.7');
  });

  it('refuses a trust setting that is not an address, range or name', () => {
    expect(() => trustedProxies('10.0.0.0/99')).toThrow();
    expect(() => trustedProxies('proxy.example')).toThrow();
  });
});
