import { Controller, Get, Param, Query, Req } from '@nestjs/common';
import { ApiExtraModels, ApiOperation, ApiQuery, ApiResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { EbayApi } from './ebay-call-limits';
import { EbayError, ebayError } from './ebay-errors';
import { intParam, selfUrl } from './ebay-paging';
import { EbayErrorsView } from './ebay.dto';
import { OrderSearchPagedCollection, OrderView } from './fulfillment.dto';
import { MarketplaceOrdersService } from './marketplace-orders.service';
import { parseOrderFilter } from './order-filter';

const BASE = '/sell/fulfillment/v1';
const MAX_LIMIT = 200;
const DEFAULT_LIMIT = 50;
const MAX_ORDER_IDS = 50;

const ebayErrors = (status: number, description: string) =>
  ApiResponse({ status, description, schema: { $ref: getSchemaPath(EbayErrorsView) } });
const refuse = (errorId: number, message: string, name: string, value: unknown) =>
  EbayError.of(400, [
    ebayError('fulfillment', errorId, message, { parameters: [{ name, value: String(value) }] }),
  ]);

/**
 * The marketplace's orders, as eBay's Sell Fulfillment API (v1) has them: searched by creation or last
 * modification date, paged with limit and offset.
 * https://developer.ebay.com/api-docs/sell/fulfillment/resources/order/methods/getOrders
 */
@ApiTags('marketplace')
@EbayApi('fulfillment')
@ApiExtraModels(EbayErrorsView)
@Controller(BASE)
export class FulfillmentController {
  constructor(private readonly orders: MarketplaceOrdersService) {}

  @Get('order')
  @ApiOperation({
    operationId: 'getOrders',
    summary: 'Orders by date or by id, a page at a time (eBay getOrders)',
    description:
      '`filter`: comma-separated criteria, `creationdate:[from..to]` or `lastmodifieddate:[from..to]` (UTC, ' +
      '`2026-05-01T00:00:00.000Z`, inclusive; the end may be left out; with both dates only creationdate ' +
      'counts; with neither, the orders created in the last 90 days) and `orderfulfillmentstatus:{NOT_STARTED|IN_PROGRESS}` ' +
      'or `{FULFILLED|IN_PROGRESS}`. Orders come by lastModifiedDate, then orderId; `limit` 1 to 200 (default 50), ' +
      '`offset` the number of orders to skip; `next` and `prev` are the URLs of the neighbouring pages. `orderIds` ' +
      '(up to 50, comma-separated) answers those orders and ignores the rest. As on eBay, `cancelStatus.cancelRequests` ' +
      "is always empty here (getOrder fills it). Errors are eBay's: 30700 to 30850 for the filter, 30900 past 50 ids, " +
      '31000 and 31100 for offset and limit, 32800 for fieldGroups other than TAX_BREAKDOWN.',
  })
  @ApiQuery({
    name: 'filter',
    required: false,
    type: String,
    example: 'lastmodifieddate:[2026-05-01T00:00:00.000Z..]',
  })
  @ApiQuery({ name: 'limit', required: false, type: String, example: '50' })
  @ApiQuery({ name: 'offset', required: false, type: String, example: '0' })
  @ApiQuery({ name: 'orderIds', required: false, type: String, example: '11-00000-00001,11-00000-00002' })
  @ApiQuery({ name: 'fieldGroups', required: false, type: String, example: 'TAX_BREAKDOWN' })
  @ApiResponse({ status: 200, type: OrderSearchPagedCollection })
  @ebayErrors(400, 'A bad filter, limit, offset, fieldGroups or too many orderIds')
  async getOrders(
    @Query() query: Record<string, unknown>,
    @Req() request: FastifyRequest,
  ): Promise<OrderSearchPagedCollection> {
    const path = `${BASE}/order`;
    const fieldGroups = query.fieldGroups;
    if (fieldGroups !== undefined && fieldGroups !== 'TAX_BREAKDOWN')
      throw refuse(32800, `Invalid field group: ${String(fieldGroups)}`, 'fieldGroup', fieldGroups);
    if (query.orderIds !== undefined) {
      const ids = String(query.orderIds)
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
      if (ids.length > MAX_ORDER_IDS)
        throw refuse(
          30900,
          'Exceeded maximum number of order IDs (the current limit is 50)',
          'orderIds',
          ids.length,
        );
      const orders = await this.orders.byIds(ids, false);
      return {
        href: selfUrl(request, path, { orderIds: ids.join(',') }),
        limit: MAX_ORDER_IDS,
        offset: 0,
        total: orders.length,
        orders,
      };
    }
    const limit = intParam(query.limit, 1, MAX_LIMIT);
    if (!limit.ok) throw refuse(31100, `Invalid limit: ${String(query.limit)}`, 'limitvalue', query.limit);
    const offset = intParam(query.offset, 0, 1_000_000_000);
    if (!offset.ok)
      throw refuse(31000, `Invalid offset: ${String(query.offset)}`, 'offsetvalue', query.offset);
    const filterText = query.filter === undefined ? undefined : String(query.filter);
    const parsed = parseOrderFilter(filterText, new Date());
    if ('error' in parsed) throw EbayError.of(400, [parsed.error]);
    const size = limit.value ?? DEFAULT_LIMIT;
    const skip = offset.value ?? 0;
    const { total, orders } = await this.orders.search(parsed.filter, size, skip);
    const url = (o: number) =>
      selfUrl(request, path, { ...(filterText ? { filter: filterText } : {}), limit: size, offset: o });
    return {
      href: url(skip),
      ...(skip + size < total ? { next: url(skip + size) } : {}),
      ...(skip > 0 ? { prev: url(Math.max(0, skip - size)) } : {}),
      limit: size,
      offset: skip,
      total,
      orders,
    };
  }

  @Get('order/:orderId')
  @ApiOperation({
    operationId: 'getOrder',
    summary: 'One order, with its cancellation requests (eBay getOrder)',
    description: 'An unknown order id is 404 with eBay error 32100 (Invalid order ID).',
  })
  @ApiResponse({ status: 200, type: OrderView })
  @ebayErrors(404, 'No such order (32100)')
  async getOrder(@Param('orderId') orderId: string): Promise<OrderView> {
    const [order] = await this.orders.byIds([orderId], true);
    if (!order)
      throw EbayError.of(404, [
        ebayError('fulfillment', 32100, `Invalid order ID: ${orderId}`, {
          parameters: [{ name: 'orderId', value: orderId }],
        }),
      ]);
    return order;
  }
}
