import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems, ProblemError } from '@stockbridge/app-platform';
import { SandboxAdminGuard } from '../auth/sandbox-auth';
import { WebhookDispatcher } from './webhook-dispatcher.service';
import {
  InventorySetView,
  RedeliverInput,
  SetWmsInventoryInput,
  RedeliverView,
  WmsEventSummaryView,
  WmsEventsQuery,
  WmsSubscriptionInput,
  WmsSubscriptionView,
} from './wms.dto';
import { WmsService } from './wms.service';

// Its own check, not @stockbridge/canonical's: the sandbox stands in for another vendor's system.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The WMS's webhook subscription and its events (not part of its native API; no faults apply). */
@ApiTags('admin')
@ApiBearerAuth()
@UseGuards(SandboxAdminGuard)
@ApiProblems(401)
@Controller('admin/wms')
export class WmsAdminController {
  constructor(
    private readonly wms: WmsService,
    private readonly dispatcher: WebhookDispatcher,
  ) {}

  @Put('subscription')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'putWmsSubscription',
    summary: 'Where the WMS posts its webhooks, and the signing secret',
    description:
      "Sets or replaces the WMS's one webhook subscription: the URL it posts every recorded event " +
      'to, and the HMAC-SHA256 key of the X-Wms-Signature header (never shown again). Every ' +
      'undelivered event, including those recorded before there was a subscription, is then sent to ' +
      'it, oldest first, retried with backoff until a 2xx. SANDBOX_WMS_WEBHOOK_URL with ' +
      'SANDBOX_WMS_WEBHOOK_SECRET sets it at start.',
  })
  @ApiResponse({ status: 200, type: WmsSubscriptionView })
  @ApiProblems(400)
  async putWmsSubscription(@Body() input: WmsSubscriptionInput): Promise<WmsSubscriptionView> {
    await this.wms.setSubscription(input.url, input.secret);
    return { url: input.url };
  }

  /**
   * Sets the WMS's inventory directly, without events or webhooks: a stock take loaded behind the platform's
   * back (demo data, drift for reconciliation).
   */
  @Put('inventory')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'setWmsInventory',
    summary: 'Set inventory (absolute, in each) per item and warehouse, without events',
    description:
      "Replaces the WMS's inventory (in each) of each item and warehouse given, without recording " +
      "an event or sending a webhook: a stock take loaded behind the platform's back (demo data, " +
      'drift for reconciliation). Answers the number of rows set. No fault applies.',
  })
  @ApiResponse({ status: 200, type: InventorySetView })
  @ApiProblems(400)
  async setWmsInventory(@Body() input: SetWmsInventoryInput): Promise<InventorySetView> {
    return { set: await this.wms.setInventory(input.rows) };
  }

  @Get('subscription')
  @ApiOperation({
    operationId: 'getWmsSubscription',
    summary: 'The webhook URL (never the secret); null without a subscription',
    description:
      'The URL the WMS posts its webhooks to, or null while there is no subscription (PUT ' +
      '/admin/wms/subscription sets one). The signing secret is never returned.',
  })
  @ApiResponse({ status: 200, type: WmsSubscriptionView })
  async getWmsSubscription(): Promise<WmsSubscriptionView> {
    return { url: await this.wms.subscriptionUrl() };
  }

  @Get('events')
  @ApiOperation({
    operationId: 'listWmsEvents',
    summary: 'Recorded events by sequence, with their delivery state',
    description:
      'Every recorded event in sequence order with its delivery state: when it was delivered (null ' +
      'until a 2xx), the attempts so far and the last error. `delivered=true` or `false` keeps only ' +
      'delivered or undelivered events; at most `limit` (default 1000, up to 10,000). For tests ' +
      'that wait for webhooks or check retries.',
  })
  @ApiResponse({ status: 200, type: [WmsEventSummaryView] })
  @ApiProblems(400)
  listWmsEvents(@Query() query: WmsEventsQuery): Promise<WmsEventSummaryView[]> {
    const delivered = query.delivered === undefined ? undefined : query.delivered === 'true';
    return this.wms.events(delivered, query.limit ?? 1000);
  }

  @Post('events/:eventId/redeliver')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'redeliverWmsEvent',
    summary: 'Send an event again, `times` times (concurrently by default): the same body, freshly signed',
    description: 'For testing a receiver against duplicates. Each send is recorded as a delivery attempt.',
  })
  @ApiResponse({ status: 200, type: RedeliverView })
  @ApiProblems(400, [404, 'No such event'], [409, 'No webhook subscription'])
  async redeliverWmsEvent(
    @Param('eventId') eventId: string,
    @Body() input: RedeliverInput,
  ): Promise<RedeliverView> {
    if (!UUID.test(eventId))
      throw ProblemError.of(404, 'event-not-found', `WMS event ${eventId} does not exist.`);
    const statuses = await this.dispatcher.redeliver(
      eventId.toLowerCase(),
      input?.times ?? 1,
      input?.concurrent ?? true,
    );
    return { statuses };
  }
}
