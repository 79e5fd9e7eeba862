import { probe, type ProbeResult, ReadinessProbe } from '@stockbridge/app-platform';
import { checkRedis } from '@stockbridge/read-model';
import type { Redis } from 'ioredis';
import type { Pool } from 'pg';
import { request } from 'undici';

/** A process API a channel API cannot serve without: the probe's name and the API's base URL. */
export interface ProcessApiDependency {
  name: string;
  url: string;
}

/**
 * Ready when the API keys' database, Redis (rate limits and whatever else the app keeps there) and each process
 * API it names answer (`GET /health/live`, 200 within 1.5 s). Provided with the app's own list:
 * `{ provide: ReadinessProbe, inject: [Pool, Redis], useFactory: (pg, redis) => new ChannelApiReadiness(pg, redis, [...]) }`.
 */
export class ChannelApiReadiness extends ReadinessProbe {
  constructor(
    private readonly pg: Pool,
    private readonly redis: Redis,
    private readonly processApis: readonly ProcessApiDependency[],
  ) {
    super();
  }

  check(): Promise<ProbeResult[]> {
    return Promise.all([
      probe('postgres', async () => {
        await this.pg.query('SELECT 1');
      }),
      probe('redis', () => checkRedis(this.redis)),
      ...this.processApis.map((api) =>
        probe(api.name, async () => {
          const res = await request(new URL('/health/live', api.url), { headersTimeout: 1_500 });
          await res.body.dump();
          if (res.statusCode !== 200) throw new Error(`answered ${res.statusCode}`);
        }),
      ),
    ]);
  }
}
