import { Body, Controller, Get, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { ApiProblems } from '@stockbridge/app-platform';
import type { FastifyReply } from 'fastify';
import { NativeApi } from '../faults/native-api.decorator';
import { NativeError } from '../infra/native-error';
import { paging } from '../infra/paging';
import { NativeErrorView } from '../infra/paging.dto';
import {
  CreateOmsOrderInput,
  OmsOrderPageView,
  OmsOrderQuery,
  OmsOrderView,
  UpdateOmsOrderInput,
} from './oms.dto';
import { OmsService } from './oms.service';

const notFound = ApiResponse({
  status: 404,
  description: '`ORDER_NOT_FOUND`',
  schema: { $ref: getSchemaPath(NativeErrorView) },
});

/** The stand-in OMS's own API: orders with OMS order ids and statuses. */
@ApiTags('oms')
@NativeApi('oms')
@Controller('oms/api/orders')
export class OmsController {
  constructor(private readonly oms: OmsService) {}

  @Post()
  @ApiOperation({
    operationId: 'createOmsOrder',
    summary: 'Create an order (status NEW), once per orderRef',
    description:
      'Creates the order with an OMS order id (`OMS-000001`, …) and status NEW. orderRef is the ' +
      'idempotency key: a repeat answers 200 with the order created first, whatever else it ' +
      'carries, and changes nothing. Every call is counted (GET /admin/stats).',
  })
  @ApiResponse({ status: 201, type: OmsOrderView, description: 'Created' })
  @ApiResponse({
    status: 200,
    type: OmsOrderView,
    description: 'An order with this orderRef exists; that order',
  })
  @ApiProblems(400)
  async createOmsOrder(@Body() input: CreateOmsOrderInput, @Res() reply: FastifyReply): Promise<void> {
    const outcome = await this.oms.create(input);
    await reply.status(outcome.status).send(outcome.body);
  }

  @Get()
  @ApiOperation({
    operationId: 'listOmsOrders',
    summary: 'Orders by order id, optionally of one orderRef or status; or changed since a time',
    description:
      'With `updatedSince`, only orders whose status changed (or that were created) at or after that time, ' +
      'ordered by `updatedAt` (to the millisecond), then `orderRef`: poll with the last `updatedAt` seen.',
  })
  @ApiResponse({ status: 200, type: OmsOrderPageView })
  @ApiProblems(400)
  listOmsOrders(@Query() query: OmsOrderQuery): Promise<OmsOrderPageView> {
    return this.oms.list(
      { orderRef: query.orderRef, status: query.status, updatedSince: query.updatedSince },
      paging(query),
    );
  }

  @Get(':orderId')
  @ApiOperation({
    operationId: 'getOmsOrder',
    summary: 'One order',
    description:
      'The order by its OMS order id (not its orderRef: list with `orderRef` for that), with its ' +
      'channel, lines, ship-to, status and when it was created and last changed status. An unknown ' +
      'id is 404 `ORDER_NOT_FOUND`.',
  })
  @ApiResponse({ status: 200, type: OmsOrderView })
  @notFound
  async getOmsOrder(@Param('orderId') orderId: string): Promise<OmsOrderView> {
    const order = await this.oms.get(orderId);
    if (!order)
      throw new NativeError(404, { error: 'ORDER_NOT_FOUND', message: `Order ${orderId} does not exist` });
    return order;
  }

  @Patch(':orderId')
  @ApiOperation({
    operationId: 'updateOmsOrderStatus',
    summary: 'Set the status of an order',
    description:
      'NEW → IN_PROGRESS | PARTIALLY_SHIPPED | SHIPPED | CANCELLED; IN_PROGRESS → PARTIALLY_SHIPPED | SHIPPED | CANCELLED; ' +
      'PARTIALLY_SHIPPED → SHIPPED | CANCELLED; SHIPPED → DELIVERED | RETURNED; DELIVERED → RETURNED. ' +
      'Setting the current status again changes nothing (nor its `updatedAt`).',
  })
  @ApiResponse({ status: 200, type: OmsOrderView })
  @notFound
  @ApiResponse({
    status: 409,
    description: '`INVALID_STATUS_TRANSITION`',
    schema: { $ref: getSchemaPath(NativeErrorView) },
  })
  @ApiProblems(400)
  async updateOmsOrderStatus(
    @Param('orderId') orderId: string,
    @Body() input: UpdateOmsOrderInput,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const outcome = await this.oms.updateStatus(orderId, input.status);
    await reply.status(outcome.status).send(outcome.body);
  }
}
