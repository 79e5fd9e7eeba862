import { Injectable } from '@nestjs/common';
import { ProcessApiClient } from '@stockbridge/channel-api';
import { PosConfig } from '../pos.config';

/** Client of process-reservations: store transactions, store stock and the reservations behind pickups. */
@Injectable()
export class ProcessReservationsClient extends ProcessApiClient {
  constructor(config: PosConfig) {
    super(config, config.PROCESS_RESERVATIONS_URL, {
      timeout: 'The inventory service did not answer in time; send the same request again.',
      unavailable: 'The inventory service is unavailable; send the same request again shortly.',
      failed: 'The inventory service failed; send the same request again shortly.',
    });
  }
}
