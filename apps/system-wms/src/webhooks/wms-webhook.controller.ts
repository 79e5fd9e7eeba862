import { Controller, HttpCode, Post, type RawBodyRequest, Req } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems, ProblemError } from '@stockbridge/app-platform';
import { errorMessage, QueueRegistry, withDeadline } from '@stockbridge/messaging';
import type { FastifyRequest } from 'fastify';
import type { TranslateWmsEventPayload } from '../jobs/translate-wms-event.job';
import { WmsPort } from '../wms.port';
import { WebhookAcceptedView } from './webhook.dto';

/** How long the webhook may wait for Redis before answering 503 (the WMS then redelivers). */
const ENQUEUE_DEADLINE_MS = 2_000;

@ApiTags('webhooks')
@Controller('v1/webhooks')
export class WmsWebhookController {
  constructor(
    private readonly wms: WmsPort,
    private readonly queues: QueueRegistry,
  ) {}

  /**
   * Takes a webhook from the WMS: checks the signature over the raw body and its timestamp (replay window),
   * checks the shape, and queues it for translation under the WMS event id — a redelivery while the first
   * is queued is the same job. Answers 202 once the job is stored; a refused webhook queues nothing.
   */
  @Post('wms')
  @HttpCode(202)
  @ApiOperation({
    operationId: 'receiveWmsWebhook',
    summary:
      'Receives a signed WMS event (receipts, picks, shipments, short picks, adjustments, counts, transfers)',
    description:
      'Called by the WMS. Authenticated by the `X-Wms-Signature` HMAC of the raw body with a shared secret ' +
      '(WMS_WEBHOOK_SECRETS), not by a bearer token.',
    security: [],
  })
  @ApiHeader({
    name: 'X-Wms-Signature',
    required: true,
    description: 't=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>',
  })
  @ApiResponse({ status: 202, type: WebhookAcceptedView })
  @ApiProblems(
    [400, 'The body is not a WMS event'],
    [401, 'Missing, malformed, stale or wrong signature'],
    [503, 'The queue is unavailable; redeliver later'],
  )
  async receiveWmsWebhook(@Req() request: RawBodyRequest<FastifyRequest>): Promise<WebhookAcceptedView> {
    const raw = request.rawBody;
    const refused = raw ? this.wms.verify(raw, request.headers) : 'no body';
    if (refused) throw ProblemError.of(401, 'invalid-signature', `Webhook refused: ${refused}.`);
    let event;
    try {
      event = this.wms.parse(request.body);
    } catch (err) {
      throw ProblemError.of(400, 'invalid-webhook', `Not a WMS event: ${errorMessage(err)}.`);
    }
    const payload: TranslateWmsEventPayload = {
      correlationId: request.id,
      receivedAt: new Date().toISOString(),
      event,
    };
    try {
      await withDeadline(
        this.queues.enqueue('wms.inbound-events', 'wms.event', payload, `wms-${event.eventId}`),
        ENQUEUE_DEADLINE_MS,
        'queue did not answer in time',
      );
    } catch (err) {
      // The add may still complete later; the redelivery is then the same job (its id is the event id).
      throw ProblemError.of(
        503,
        'queue-unavailable',
        `The event could not be queued (${errorMessage(err)}); deliver it again later.`,
      );
    }
    return { eventId: event.eventId, accepted: true };
  }
}
