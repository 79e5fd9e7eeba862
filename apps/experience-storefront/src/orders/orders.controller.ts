import { Controller, Get, Param, Req, UseGuards, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { isUuid } from '@stockbridge/canonical';
import { ApiProblems, headerRef, PathCodePipe, ProblemError } from '@stockbridge/app-platform';
import {
  ApiKeyGuard,
  type AuthenticatedRequest,
  RequiresScope,
  RetryAfterInterceptor,
} from '@stockbridge/channel-api';
import { ProcessAllocationClient } from '../process-client/process-allocation.client';
import { type OrderState, type ShipmentStatus, StorefrontOrder } from './order.dto';

/** The part of process-allocation's order view the storefront reads; the rest (postings, causes) stays inside. */
interface ProcessOrder {
  id: string;
  channel: string;
  reference: string | null;
  state: OrderState;
  createdAt: string;
  updatedAt: string;
  lines: { sku: string; quantity: number; shipped: number; cancelled: number }[];
  fulfilmentOrders: {
    location: string;
    status: ShipmentStatus;
    lines: { sku: string; quantity: number; shipped: number }[];
  }[];
  transitions: { from: OrderState | null; to: OrderState; at: string }[];
}

/** The channel's view of an order: every field picked explicitly, so nothing internal leaks. */
function toStorefront(o: ProcessOrder): StorefrontOrder {
  return {
    id: o.id,
    reference: o.reference,
    state: o.state,
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
    lines: o.lines.map((l) => ({
      sku: l.sku,
      quantity: l.quantity,
      shipped: l.shipped,
      cancelled: l.cancelled,
    })),
    shipments: o.fulfilmentOrders.map((f) => ({
      location: f.location,
      status: f.status,
      lines: f.lines.map((l) => ({ sku: l.sku, quantity: l.quantity, shipped: l.shipped })),
    })),
    // The channel sees changes of state; a change within a state (a short pick cancelled on a line while the rest
    // ships) is in the lines' figures, not in the history.
    history: o.transitions.filter((t) => t.from !== t.to).map((t) => ({ state: t.to, at: t.at })),
  };
}

const ORDER_EXAMPLE: StorefrontOrder = {
  id: '0b7d6c1e-5c8a-4a39-9d55-2f7f3f0c1a11',
  reference: 'cart-7f3a',
  state: 'partially_shipped',
  createdAt: '2026-01-05T10:00:00.000Z',
  updatedAt: '2026-01-05T12:30:00.000Z',
  lines: [{ sku: 'SKU-00001', quantity: 2, shipped: 1, cancelled: 0 }],
  shipments: [
    {
      location: 'WH-EAST',
      status: 'partially_shipped',
      lines: [{ sku: 'SKU-00001', quantity: 2, shipped: 1 }],
    },
  ],
  history: [
    { state: 'pending_validation', at: '2026-01-05T10:00:00.000Z' },
    { state: 'allocated', at: '2026-01-05T10:00:02.000Z' },
    { state: 'partially_shipped', at: '2026-01-05T12:30:00.000Z' },
  ],
};

function malformed(): ProblemError {
  return ProblemError.of(
    400,
    'validation-failed',
    'The order id must be a UUID (the id of the confirmed reservation).',
  );
}

function notFound(id: string): ProblemError {
  return ProblemError.of(404, 'order-not-found', `Order "${id}" does not exist.`);
}

@ApiTags('orders')
@ApiBearerAuth()
@UseGuards(ApiKeyGuard)
@UseInterceptors(RetryAfterInterceptor)
@Controller('v1/orders')
export class OrdersController {
  constructor(private readonly allocation: ProcessAllocationClient) {}

  @Get(':id')
  @RequiresScope('reservations:write')
  @ApiOperation({
    operationId: 'getOrder',
    summary: "One of your channel's orders: its state, shipments and history",
    description:
      'Confirming a reservation places an order with the same id. Another channel’s order is 404, like one that does not exist.',
  })
  @ApiParam({ name: 'id', format: 'uuid', description: 'The id of the confirmed reservation' })
  @ApiResponse({ status: 200, type: StorefrontOrder, example: ORDER_EXAMPLE })
  @ApiProblems(
    [400, 'The id is not a UUID', ['validation-failed']],
    [401, 'No, unknown or revoked API key', ['unauthorized']],
    [403, 'The key lacks reservations:write', ['forbidden']],
    [404, 'No such order in your channel (yet: retry shortly after confirming)', ['order-not-found']],
    [502, 'The order service answered unexpectedly; retry shortly', ['upstream-error']],
    [
      503,
      'The order service is temporarily unavailable; retry after `Retry-After` seconds',
      ['upstream-unavailable'],
      { 'Retry-After': headerRef('Retry-After') },
    ],
    [504, 'The order service did not answer in time; retry shortly', ['upstream-timeout']],
  )
  async getOrder(
    @Req() request: AuthenticatedRequest,
    // The order id: 400 when it is not a UUID (as the published contract says), lower case after.
    @Param('id', new PathCodePipe(isUuid, malformed, (id) => id.toLowerCase())) orderId: string,
  ): Promise<StorefrontOrder> {
    const channel = request.client.channel;
    const res = await this.allocation.call<ProcessOrder | { type?: unknown }>(
      'GET',
      `/v1/orders/${orderId}?channel=${encodeURIComponent(channel)}`,
      { correlationId: request.id },
    );
    if (res.status === 404) throw notFound(orderId);
    // The process API is stricter about UUIDs (version and variant digits): its refusal is the caller's 400.
    if (res.status === 400) throw malformed();
    if (res.status !== 200) {
      throw ProblemError.of(502, 'upstream-error', 'The order service answered unexpectedly.');
    }
    const order = res.body as ProcessOrder;
    // The process API filters by channel already; checking again costs nothing and never shows another's order.
    if (order.channel !== channel || order.id !== orderId) throw notFound(orderId);
    return toStorefront(order);
  }
}
