import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems, ServiceTokenGuard } from '@stockbridge/app-platform';
import {
  CancelRequest,
  OrderListQuery,
  OrderPageView,
  OrderQuery,
  OrderView,
  StatusReportRequest,
  StatusReportView,
} from './order.dto';
import { OrderCancellationService } from './order-cancellation.service';
import { OrdersService } from './orders.service';

@ApiTags('orders')
@ApiBearerAuth()
@UseGuards(ServiceTokenGuard)
@Controller('v1/orders')
export class OrdersController {
  constructor(
    private readonly orders: OrdersService,
    private readonly cancellation: OrderCancellationService,
  ) {}

  @Get()
  @ApiOperation({
    operationId: 'listOrders',
    summary: 'Orders, newest first, a page at a time',
    description:
      'Orders, newest first (by creation time, then id), filtered by state and channel; paged by cursor: `limit` orders ' +
      'per page, and `nextCursor` is the `cursor` of the next page (null on the last). Pass the same filters with the cursor. ' +
      'A cursor that is not one this list gave out is 400 `invalid-cursor`.',
  })
  @ApiResponse({ status: 200, type: OrderPageView })
  @ApiProblems(401, [400, 'Invalid filter, limit or cursor'])
  async listOrders(@Query() q: OrderListQuery): Promise<OrderPageView> {
    return this.orders.list({ state: q.state, channel: q.channel, limit: q.limit ?? 50, cursor: q.cursor });
  }

  @Get(':id')
  @ApiOperation({
    operationId: 'getOrder',
    summary: 'An order with its lines, fulfilment orders, every state transition and its postings',
    description:
      "An order with its lines, its fulfilment orders per location, every state transition (with its cause and the backend's own status) and its ledger postings. With `channel`, another channel's order is 404.",
  })
  @ApiResponse({ status: 200, type: OrderView })
  @ApiProblems(401, [400, 'Malformed id'], [404, 'No such order (for that channel)'])
  async getOrder(@Param('id', new ParseUUIDPipe()) id: string, @Query() q: OrderQuery): Promise<OrderView> {
    return this.orders.get(id, q.channel);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'cancelOrder',
    summary:
      'Cancels what has not shipped: allocated units return at once, released ones once the WMS confirms; idempotent',
    description:
      'Cancels every unit that has not shipped: allocated units return to availability at once, units released to the warehouse once the WMS confirms the cancellation. A shipped, delivered, settled or returned order is 409 `order-not-cancellable`. Repeating it is harmless.',
  })
  @ApiResponse({ status: 200, type: OrderView })
  @ApiProblems(401, [400, 'Malformed request'], [404, 'No such order'], [409, 'Already shipped'])
  async cancelOrder(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: CancelRequest,
  ): Promise<OrderView> {
    return this.cancellation.cancel(id, body.by, body.channel);
  }

  @Post(':id/status-reports')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'reportOrderStatus',
    summary: "A status reported by the OMS or a channel in its own words, mapped to the order's state",
    description:
      "The OMS or a channel reports an order's status in its own words (e.g. `DELIVERED`); the mapping table turns it into the order's state. A (source, status) with no mapping is 422 `unmapped-status`.",
  })
  @ApiResponse({ status: 200, type: StatusReportView })
  @ApiProblems(401, [400, 'Malformed request'], [404, 'No such order'], [422, 'The status has no mapping'])
  async reportOrderStatus(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: StatusReportRequest,
  ): Promise<StatusReportView> {
    return this.orders.reportStatus(id, body.source, body.status);
  }
}
