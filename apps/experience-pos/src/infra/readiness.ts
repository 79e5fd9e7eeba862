import { Injectable } from '@nestjs/common';
import { probe, type ProbeResult, ReadinessProbe } from '@stockbridge/app-platform';
import { checkRedis } from '@stockbridge/read-model';
import { Redis } from 'ioredis';
import { Pool } from 'pg';
import { request } from 'undici';
import { PosConfig } from '../pos.config';

/** Ready when the API keys' database, Redis (rate limits, pickup deadlines) and process-reservations answer. */
@Injectable()
export class PosReadiness extends ReadinessProbe {
  constructor(
    private readonly pg: Pool,
    private readonly redis: Redis,
    private readonly config: PosConfig,
  ) {
    super();
  }

  check(): Promise<ProbeResult[]> {
    return Promise.all([
      probe('postgres', async () => {
        await this.pg.query('SELECT 1');
      }),
      probe('redis', () => checkRedis(this.redis)),
      probe('process-reservations', async () => {
        const res = await request(new URL('/health/live', this.config.PROCESS_RESERVATIONS_URL), {
          headersTimeout: 1_500,
        });
        await res.body.dump();
        if (res.statusCode !== 200) throw new Error(`answered ${res.statusCode}`);
      }),
    ]);
  }
}
