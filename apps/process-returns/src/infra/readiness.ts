import { Injectable } from '@nestjs/common';
import { probe, type ProbeResult, ReadinessProbe } from '@stockbridge/app-platform';
import { Db } from '@stockbridge/ledger';

/** Ready when PostgreSQL answers: the app writes its events to the outbox, which other apps relay. */
@Injectable()
export class ReturnsReadiness extends ReadinessProbe {
  constructor(private readonly db: Db) {
    super();
  }

  async check(): Promise<ProbeResult[]> {
    return [
      await probe('postgres', async () => {
        await this.db.query('SELECT 1');
      }),
    ];
  }
}
