import { Injectable } from '@nestjs/common';
import { probe, type ProbeResult, ReadinessProbe } from '@stockbridge/app-platform';
import { SandboxDb } from './sandbox-db';

@Injectable()
export class SandboxReadiness extends ReadinessProbe {
  constructor(private readonly db: SandboxDb) {
    super();
  }

  check(): Promise<ProbeResult[]> {
    return Promise.all([
      probe('postgres', async () => {
        await this.db.query('SELECT 1');
      }),
    ]);
  }
}
