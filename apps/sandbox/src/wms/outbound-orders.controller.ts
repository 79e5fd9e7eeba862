import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { ApiProblems, ProblemError } from '@stockbridge/app-platform';
import type { FastifyReply } from 'fastify';
import { NativeApi } from '../faults/native-api.decorator';
import { ORDER_REF_MESSAGE, ORDER_REF_PATTERN } from '../infra/codes';
import { NativeError } from '../infra/native-error';
import { paging } from '../infra/paging';
import { NativeErrorView } from '../infra/paging.dto';
import {
  OutboundOrderPageView,
  OutboundOrderQuery,
  OutboundOrderStatusView,
  OutboundOrderView,
  ReleaseOutboundOrderInput,
} from './outbound-order.dto';
import { OutboundOrderService } from './outbound-orders.service';

const notFound = ApiResponse({
  status: 404,
  description: '`ORDER_NOT_FOUND`',
  schema: { $ref: getSchemaPath(NativeErrorView) },
});
const orderRefParam = ApiParam({
  name: 'orderRef',
  description: `The order reference; ${ORDER_REF_MESSAGE}`,
});

/** The path parameter, refused as bad input (not as an unknown order) when it cannot be a reference. */
function orderRefOf(value: string): string {
  if (!ORDER_REF_PATTERN.test(value))
    throw ProblemError.of(400, 'invalid-order-ref', `orderRef ${ORDER_REF_MESSAGE}.`);
  return value;
}

/** The stand-in WMS's outbound orders: released for picking, cancelled, followed through shipping. */
@ApiTags('wms')
@NativeApi('wms')
@Controller('wms/api/outbound-orders')
export class OutboundOrderController {
  constructor(private readonly orders: OutboundOrderService) {}

  @Post()
  @ApiOperation({
    operationId: 'releaseWmsOutboundOrder',
    summary: 'Release an order for picking, once per orderRef',
    description:
      'The WMS does not check stock at release; shortfalls surface as short picks. A repeated orderRef answers 200 ' +
      "with the stored order's reference and current status, whatever the lines sent the second time.",
  })
  @ApiResponse({ status: 201, type: OutboundOrderStatusView, description: 'Released' })
  @ApiResponse({
    status: 200,
    type: OutboundOrderStatusView,
    description: 'An order with this orderRef exists; nothing changed',
  })
  @ApiProblems(400)
  async releaseWmsOutboundOrder(
    @Body() input: ReleaseOutboundOrderInput,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const outcome = await this.orders.release(input);
    await reply.status(outcome.status).send(outcome.body);
  }

  @Post(':orderRef/cancel')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'cancelWmsOutboundOrder',
    summary: 'Cancel an order while nothing has shipped under its reference',
    description: 'Cancelling a cancelled order answers 200 again. Later shipments for it are refused.',
  })
  @orderRefParam
  @ApiResponse({ status: 200, type: OutboundOrderStatusView, description: 'Cancelled' })
  @notFound
  @ApiResponse({
    status: 409,
    description: '`ALREADY_SHIPPED`: a shipment with this orderRef was recorded; the order stands',
    schema: { $ref: getSchemaPath(NativeErrorView) },
  })
  @ApiProblems(400)
  async cancelWmsOutboundOrder(
    @Param('orderRef') orderRef: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const outcome = await this.orders.cancel(orderRefOf(orderRef));
    await reply.status(outcome.status).send(outcome.body);
  }

  @Get()
  @ApiOperation({
    operationId: 'listWmsOutboundOrders',
    summary: 'Outbound orders in the order released, optionally of one status or warehouse',
    description:
      'Outbound orders with their lines (ordered, shipped and missing each), in the order they were ' +
      'released, then by orderRef; `status` and `warehouse` filter them. Paged (`pageSize` up to ' +
      '500).',
  })
  @ApiResponse({ status: 200, type: OutboundOrderPageView })
  @ApiProblems(400)
  listWmsOutboundOrders(@Query() query: OutboundOrderQuery): Promise<OutboundOrderPageView> {
    return this.orders.list({ status: query.status, warehouse: query.warehouse }, paging(query));
  }

  @Get(':orderRef')
  @ApiOperation({
    operationId: 'getWmsOutboundOrder',
    summary: 'One outbound order with shipped and missing each per line',
    description:
      "The order's warehouse, status (RELEASED, PART_SHIPPED, SHIPPED or CANCELLED) and lines: the " +
      'quantity ordered (as sent and in each), the each shipped (by shipments naming its orderRef) ' +
      'and the each missing (by short picks). An orderRef that cannot be a reference is 400 ' +
      '`invalid-order-ref`; an unknown one is 404 `ORDER_NOT_FOUND`.',
  })
  @orderRefParam
  @ApiResponse({ status: 200, type: OutboundOrderView })
  @notFound
  @ApiProblems(400)
  async getWmsOutboundOrder(@Param('orderRef') orderRef: string): Promise<OutboundOrderView> {
    const order = await this.orders.get(orderRefOf(orderRef));
    if (!order)
      throw new NativeError(404, {
        error: 'ORDER_NOT_FOUND',
        message: `Outbound order ${orderRef} does not exist`,
      });
    return order;
  }
}
