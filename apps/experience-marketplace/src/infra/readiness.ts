import { Injectable } from '@nestjs/common';
import { probe, type ProbeResult, ReadinessProbe } from '@stockbridge/app-platform';
import { MessagingReadiness } from '@stockbridge/messaging';
import { checkRedis } from '@stockbridge/read-model';
import { Redis } from 'ioredis';

/**
 * Ready when PostgreSQL and the queues' Redis answer (MessagingReadiness) and so does the read model's Redis,
 * never evicting. The marketplace itself is not checked: it being down is what the pusher's backoff is for,
 * and taking replicas out of a load balancer would not bring it back.
 */
@Injectable()
export class MarketplaceReadiness extends ReadinessProbe {
  constructor(
    private readonly messaging: MessagingReadiness,
    private readonly redis: Redis,
  ) {
    super();
  }

  async check(): Promise<ProbeResult[]> {
    const [base, readModel] = await Promise.all([
      this.messaging.check(),
      probe('read-model', () => checkRedis(this.redis)),
    ]);
    return [...base, readModel];
  }
}
