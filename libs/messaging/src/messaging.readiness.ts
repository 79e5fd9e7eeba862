import { Injectable } from '@nestjs/common';
import { probe, type ProbeResult, ReadinessProbe } from '@stockbridge/app-platform';
import { Db } from '@stockbridge/persistence';
import { QueueRegistry } from './queue-registry';

/**
 * Ready when PostgreSQL answers and the queues' Redis answers with `maxmemory-policy noeviction`
 * (docs/reliability.md#redis-settings: an evicting Redis loses jobs and locks).
 */
@Injectable()
export class MessagingReadiness extends ReadinessProbe {
  constructor(
    private readonly db: Db,
    private readonly queues: QueueRegistry,
  ) {
    super();
  }

  check(): Promise<ProbeResult[]> {
    return Promise.all([
      probe('postgres', async () => {
        await this.db.query('SELECT 1');
      }),
      probe('redis', async () => {
        const [queue] = this.queues.all();
        if (!queue) return 'no queues';
        const client = (await queue.getBackend().client) as unknown as {
          config(op: string, key: string): Promise<string[]>;
          ping(): Promise<string>;
        };
        await client.ping();
        // Managed Redis often refuses CONFIG: then the policy is the operator's to set (docs/operations.md).
        const config = await client.config('GET', 'maxmemory-policy').catch(() => null);
        const policy = config?.[1];
        if (policy && policy !== 'noeviction')
          throw new Error(`maxmemory-policy is ${policy}; queues need noeviction`);
        return policy ? undefined : 'maxmemory-policy not readable (CONFIG refused)';
      }),
    ]);
  }
}
