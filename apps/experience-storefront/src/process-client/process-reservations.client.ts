import { Injectable } from '@nestjs/common';
import { StorefrontConfig } from '../storefront.config';
import { ProcessApiClient } from '@stockbridge/channel-api';

/** Client of process-reservations: availability-checked holds, confirmations and releases. */
@Injectable()
export class ProcessReservationsClient extends ProcessApiClient {
  constructor(config: StorefrontConfig) {
    super(config, config.PROCESS_RESERVATIONS_URL, {
      timeout: 'The reservation service did not answer in time; retry with the same Idempotency-Key.',
      unavailable: 'The reservation service is unavailable; retry with the same Idempotency-Key.',
      failed: 'The reservation service failed; retry with the same Idempotency-Key.',
    });
  }
}
