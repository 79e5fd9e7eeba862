import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiBody,
  ApiExtraModels,
  ApiOperation,
  ApiQuery,
  ApiResponse,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { readBulkUpdate } from './bulk-update';
import { EbayApi } from './ebay-call-limits';
import { EbayError, ebayError } from './ebay-errors';
import { intParam, selfUrl } from './ebay-paging';
import { EbayErrorsView } from './ebay.dto';
import {
  BULK_UPDATE_MAX,
  BulkPriceQuantity,
  BulkPriceQuantityResponse,
  InventoryItemsView,
  InventoryItemView,
} from './inventory.dto';
import { InventoryService } from './inventory.service';

const BASE = '/sell/inventory/v1';
const ebayErrors = (status: number, description: string) =>
  ApiResponse({ status, description, schema: { $ref: getSchemaPath(EbayErrorsView) } });

/**
 * The marketplace's inventory, as eBay's Sell Inventory API (v1) has it: inventory items by seller SKU with
 * their total ship-to-home quantity, updated up to 25 at a time.
 * https://developer.ebay.com/api-docs/sell/inventory/resources/methods
 */
@ApiTags('marketplace')
@EbayApi('inventory')
@ApiExtraModels(EbayErrorsView)
@Controller(BASE)
export class InventoryController {
  constructor(private readonly inventory: InventoryService) {}

  @Post('bulk_update_price_quantity')
  @ApiOperation({
    operationId: 'bulkUpdatePriceQuantity',
    summary: 'Replace the quantity of 1 to 25 inventory items (eBay bulkUpdatePriceQuantity)',
    description:
      "Sets each inventory item's shipToLocationAvailability.quantity. Answers 200 when every request applied, " +
      '207 (multi-status) otherwise, with one response per request in order: 200, 404 for a SKU the marketplace ' +
      'does not have (eBay error 25702), 400 for a request that is not valid (25709; `offers` are refused: the ' +
      'sandbox keeps none); the others still apply. More than 25 requests, none, or a SKU twice refuses the ' +
      'whole call (400, 25709 or 25734). Every call that is read is recorded, and every update applied, even ' +
      'to the same figure (GET /admin/stats, GET /admin/marketplace/quantity-updates).',
  })
  @ApiBody({ type: BulkPriceQuantity })
  @ApiResponse({ status: 200, type: BulkPriceQuantityResponse, description: 'Every request applied' })
  @ApiResponse({ status: 207, type: BulkPriceQuantityResponse, description: 'Some requests did not apply' })
  @ebayErrors(400, `Not 1 to ${BULK_UPDATE_MAX} requests (25709), or a SKU twice (25734)`)
  async bulkUpdatePriceQuantity(@Body() body: unknown, @Res() reply: FastifyReply): Promise<void> {
    const read = readBulkUpdate(body);
    if ('refused' in read) throw EbayError.of(400, [read.refused]);
    const outcome = await this.inventory.bulkUpdate(read.entries);
    await reply.status(outcome.status).send({ responses: outcome.responses });
  }

  @Get('inventory_item')
  @ApiOperation({
    operationId: 'getInventoryItems',
    summary: 'Inventory items by SKU, a page at a time (eBay getInventoryItems)',
    description:
      '`limit` items per page (1 to 200, default 25); `offset` is the page number, from 0, as eBay documents ' +
      'it for this method. `next` and `prev` are the URLs of the neighbouring pages (only when there is one); ' +
      '`total` counts the items, `size` the pages. A bad limit or offset is 400 (eBay error 25706).',
  })
  @ApiQuery({ name: 'limit', required: false, type: String, example: '25' })
  @ApiQuery({ name: 'offset', required: false, type: String, example: '0' })
  @ApiResponse({ status: 200, type: InventoryItemsView })
  @ebayErrors(400, 'Invalid pagination values (25706)')
  async getInventoryItems(
    @Query('limit') limitParam: unknown,
    @Query('offset') offsetParam: unknown,
    @Req() request: FastifyRequest,
  ): Promise<InventoryItemsView> {
    const limit = intParam(limitParam, 1, 200);
    const page = intParam(offsetParam, 0, 10_000_000);
    if (!limit.ok || !page.ok)
      throw EbayError.of(400, [
        ebayError(
          'inventory',
          25706,
          `You have provided invalid pagination values. ${!limit.ok ? 'limit must be 1 to 200' : 'offset must be a page number from 0'}.`,
          {
            parameters: [
              { name: !limit.ok ? 'limit' : 'offset', value: String(!limit.ok ? limitParam : offsetParam) },
            ],
          },
        ),
      ]);
    const size = limit.value ?? 25;
    const index = page.value ?? 0;
    const { total, items } = await this.inventory.list(size, index);
    const pages = Math.ceil(total / size);
    const url = (p: number) => selfUrl(request, `${BASE}/inventory_item`, { limit: size, offset: p });
    return {
      href: url(index),
      ...(index + 1 < pages ? { next: url(index + 1) } : {}),
      ...(index > 0 && pages > 0 ? { prev: url(Math.min(index - 1, pages - 1)) } : {}),
      limit: size,
      size: pages,
      total,
      inventoryItems: items,
    };
  }

  @Get('inventory_item/:sku')
  @ApiOperation({
    operationId: 'getInventoryItem',
    summary: 'One inventory item (eBay getInventoryItem)',
    description:
      'The item of the seller SKU with its total ship-to-home quantity. An unknown SKU is 404 with eBay error ' +
      "25710 (We didn't find the resource/entity you are requesting).",
  })
  @ApiResponse({ status: 200, type: InventoryItemView })
  @ebayErrors(404, 'No inventory item of that SKU (25710)')
  async getInventoryItem(@Param('sku') sku: string): Promise<InventoryItemView> {
    const item = await this.inventory.get(sku);
    if (!item)
      throw EbayError.of(404, [
        ebayError(
          'inventory',
          25710,
          "We didn't find the resource/entity you are requesting. Please verify the request",
          {
            parameters: [{ name: 'sku', value: sku }],
          },
        ),
      ]);
    return item;
  }
}
