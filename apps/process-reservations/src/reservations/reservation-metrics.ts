import { Injectable } from '@nestjs/common';
import { Metrics } from '@stockbridge/app-platform';
import type { Counter } from 'prom-client';

@Injectable()
export class ReservationMetrics {
  private readonly total: Counter<'channel' | 'outcome' | 'replayed'>;

  constructor(metrics: Metrics) {
    this.total = metrics.counter('reservations_total', 'Reservation requests by outcome', [
      'channel',
      'outcome',
      'replayed',
    ]);
  }

  outcome(channel: string, outcome: 'accepted' | 'rejected', replayed: boolean): void {
    this.total.inc({ channel, outcome, replayed: String(replayed) });
  }
}
