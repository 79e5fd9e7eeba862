import { Body, Controller, Get, Post, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { ApiProblems } from '@stockbridge/app-platform';
import type { FastifyReply } from 'fastify';
import { NativeApi } from '../faults/native-api.decorator';
import { paging } from '../infra/paging';
import { NativeErrorView } from '../infra/paging.dto';
import type { WmsOperation } from './wms-event';
import {
  AdjustmentInput,
  CycleCountInput,
  PickInput,
  ReceiptInput,
  ShipmentInput,
  ShortPickInput,
  TransferInput,
  WmsEventCreatedView,
  WmsInventoryPageView,
  WmsInventoryQuery,
} from './wms.dto';
import { WmsService } from './wms.service';

const created = ApiResponse({
  status: 201,
  type: WmsEventCreatedView,
  description: 'Recorded; the webhook is queued',
});
const shortage = ApiResponse({
  status: 409,
  description: '`INSUFFICIENT_STOCK`: the operation would take inventory below zero; nothing recorded',
  schema: { $ref: getSchemaPath(NativeErrorView) },
});
const forOrder = ApiResponse({
  status: 409,
  description:
    '`INSUFFICIENT_STOCK` (shipments): inventory would go below zero; `ORDER_CANCELLED`: `orderRef` is a cancelled ' +
    'outbound order. Nothing recorded either way',
  schema: { $ref: getSchemaPath(NativeErrorView) },
});

/** The stand-in WMS's own API: operations entered on the floor, each one an event and a signed webhook. */
@ApiTags('wms')
@NativeApi('wms')
@Controller('wms/api')
export class WmsController {
  constructor(private readonly wms: WmsService) {}

  @Post('receipts')
  @ApiOperation({
    operationId: 'createWmsReceipt',
    summary: 'Goods received: inventory + qty',
    description:
      'Goods received into a warehouse: its inventory of the item grows by `qty` (a case is 12 ' +
      'each). The inventory change and the event commit together; the signed webhook is then queued ' +
      'for the subscription (retried until a 2xx).',
  })
  @created
  @ApiProblems(400)
  createWmsReceipt(@Body() input: ReceiptInput, @Res() reply: FastifyReply): Promise<void> {
    return this.answer(reply, {
      eventType: 'RECEIPT',
      warehouse: input.warehouse,
      itemCode: input.itemCode,
      qty: input.qty,
      uom: input.uom,
    });
  }

  @Post('picks')
  @ApiOperation({
    operationId: 'createWmsPick',
    summary: 'Picked for an order: inventory unchanged (still on hand until shipped)',
    description:
      'A pick, optionally for the order `orderRef`. Inventory does not change: picked units stay on ' +
      'hand until a shipment, and a pick changes no outbound order. The event is recorded and its ' +
      'webhook queued.',
  })
  @created
  @ApiProblems(400)
  createWmsPick(@Body() input: PickInput, @Res() reply: FastifyReply): Promise<void> {
    return this.answer(reply, {
      eventType: 'PICK',
      ...stock(input),
      ...(input.orderRef !== undefined ? { orderRef: input.orderRef } : {}),
    });
  }

  @Post('shipments')
  @ApiOperation({
    operationId: 'createWmsShipment',
    summary: 'Shipped: inventory − qty',
    description:
      'With the `orderRef` of an outbound order, the shipped each count against its lines and the order becomes ' +
      'PART_SHIPPED or SHIPPED; it can then no longer be cancelled.',
  })
  @created
  @forOrder
  @ApiProblems(400)
  createWmsShipment(@Body() input: ShipmentInput, @Res() reply: FastifyReply): Promise<void> {
    return this.answer(reply, {
      eventType: 'SHIPMENT',
      ...stock(input),
      ...(input.orderRef !== undefined ? { orderRef: input.orderRef } : {}),
    });
  }

  @Post('short-picks')
  @ApiOperation({
    operationId: 'createWmsShortPick',
    summary: 'Short pick: `qty` of an order could not be found; inventory − min(inventory, qty)',
    description:
      'The picker reports units of the order `orderRef` missing from the location. The WMS writes off what it ' +
      'believed it had of them (never below zero) and records the shortfall on the outbound order, if one has this ' +
      'reference. The webhook carries `qty` = the units not found.',
  })
  @created
  @ApiResponse({
    status: 409,
    description: '`ORDER_CANCELLED`: `orderRef` is a cancelled outbound order; nothing recorded',
    schema: { $ref: getSchemaPath(NativeErrorView) },
  })
  @ApiProblems(400)
  createWmsShortPick(@Body() input: ShortPickInput, @Res() reply: FastifyReply): Promise<void> {
    return this.answer(reply, { eventType: 'SHORT_PICK', ...stock(input), orderRef: input.orderRef });
  }

  @Post('adjustments')
  @ApiOperation({
    operationId: 'createWmsAdjustment',
    summary: 'Adjusted with a reason: inventory ± qty',
    description:
      'An adjustment with a reason code: a positive `qty` adds units, a negative one removes them. ' +
      'One that would take the inventory below zero is 409 `INSUFFICIENT_STOCK` and records ' +
      'nothing. The event (with its reasonCode) is recorded and its webhook queued.',
  })
  @created
  @shortage
  @ApiProblems(400)
  createWmsAdjustment(@Body() input: AdjustmentInput, @Res() reply: FastifyReply): Promise<void> {
    return this.answer(reply, { eventType: 'ADJUSTMENT', ...stock(input), reasonCode: input.reasonCode });
  }

  @Post('cycle-counts')
  @ApiOperation({
    operationId: 'createWmsCycleCount',
    summary: 'Counted: inventory becomes the counted quantity',
    description:
      'A count: the inventory of the item in the warehouse becomes `countedQty`, whatever it was ' +
      "before. The webhook's `qty` is the counted quantity, not a difference. The event is recorded " +
      'and its webhook queued.',
  })
  @created
  @ApiProblems(400)
  createWmsCycleCount(@Body() input: CycleCountInput, @Res() reply: FastifyReply): Promise<void> {
    return this.answer(reply, {
      eventType: 'CYCLE_COUNT',
      warehouse: input.warehouse,
      itemCode: input.itemCode,
      qty: input.countedQty,
      uom: input.uom,
    });
  }

  @Post('transfers')
  @ApiOperation({
    operationId: 'createWmsTransfer',
    summary: 'Moved between warehouses: source − qty, destination + qty',
    description:
      'Moves units between two warehouses in one transaction: the source loses `qty`, the ' +
      'destination gains it. A source short of stock is 409 `INSUFFICIENT_STOCK`, the same ' +
      'warehouse twice 422 `SAME_WAREHOUSE`; either way nothing is recorded. One event (`warehouse` ' +
      'is the source, `toWarehouse` the destination) and one webhook.',
  })
  @created
  @shortage
  @ApiResponse({
    status: 422,
    description: '`SAME_WAREHOUSE`',
    schema: { $ref: getSchemaPath(NativeErrorView) },
  })
  @ApiProblems(400)
  createWmsTransfer(@Body() input: TransferInput, @Res() reply: FastifyReply): Promise<void> {
    return this.answer(reply, {
      eventType: 'TRANSFER',
      warehouse: input.fromWarehouse,
      toWarehouse: input.toWarehouse,
      itemCode: input.itemCode,
      qty: input.qty,
      uom: input.uom,
    });
  }

  @Get('inventory')
  @ApiOperation({
    operationId: 'listWmsInventory',
    summary: 'Inventory per warehouse and item code, in each (a snapshot)',
    description:
      "The WMS's inventory in each per warehouse and item code, ordered by warehouse then item " +
      "code; `warehouse` keeps one. Paged (`pageSize` up to 500). What the platform's WMS adapter " +
      '(system-wms) reads for its on-hand snapshots.',
  })
  @ApiResponse({ status: 200, type: WmsInventoryPageView })
  @ApiProblems(400)
  listWmsInventory(@Query() query: WmsInventoryQuery): Promise<WmsInventoryPageView> {
    return this.wms.inventory(query.warehouse, paging(query));
  }

  private async answer(reply: FastifyReply, op: WmsOperation): Promise<void> {
    const outcome = await this.wms.record(op);
    await reply.status(outcome.status).send(outcome.body);
  }
}

function stock(input: { warehouse: string; itemCode: string; qty: number; uom: WmsOperation['uom'] }) {
  return { warehouse: input.warehouse, itemCode: input.itemCode, qty: input.qty, uom: input.uom };
}
