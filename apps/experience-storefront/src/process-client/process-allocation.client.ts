import { Injectable } from '@nestjs/common';
import { StorefrontConfig } from '../storefront.config';
import { ProcessApiClient } from '@stockbridge/channel-api';

/** Client of process-allocation: the orders placed by confirmed reservations and their fulfilment. */
@Injectable()
export class ProcessAllocationClient extends ProcessApiClient {
  constructor(config: StorefrontConfig) {
    super(config, config.PROCESS_ALLOCATION_URL, {
      timeout: 'The order service did not answer in time; retry shortly.',
      unavailable: 'The order service is unavailable; retry shortly.',
      failed: 'The order service failed; retry shortly.',
    });
  }
}
