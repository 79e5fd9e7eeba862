import { Injectable } from '@nestjs/common';
import { probe, type ProbeResult, ReadinessProbe } from '@stockbridge/app-platform';
import { Db } from '@stockbridge/ledger';
import { checkRedis } from '@stockbridge/read-model';
import { Redis } from 'ioredis';

@Injectable()
export class ProcessReadiness extends ReadinessProbe {
  constructor(
    private readonly db: Db,
    private readonly redis: Redis,
  ) {
    super();
  }

  check(): Promise<ProbeResult[]> {
    return Promise.all([
      probe('postgres', async () => {
        await this.db.query('SELECT 1');
      }),
      probe('redis', () => checkRedis(this.redis)),
    ]);
  }
}
