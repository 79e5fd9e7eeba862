import { Body, Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '@stockbridge/app-platform';
import { SandboxAdminGuard } from '../auth/sandbox-auth';
import { paging } from '../infra/paging';
import { OrderView } from './fulfillment.dto';
import { InventoryService } from './inventory.service';
import {
  BuyerCancelRequestInput,
  CreateMarketplaceOrdersInput,
  MarketplaceUpsertedView,
  QuantityUpdatePageView,
  QuantityUpdateQuery,
  UpsertMarketplaceItemsInput,
} from './marketplace-admin.dto';
import { MarketplaceOrdersService } from './marketplace-orders.service';

export class CreatedMarketplaceOrdersView {
  @ApiProperty({ type: [OrderView] }) orders!: OrderView[];
}

/** Seeding the marketplace and acting as its buyers (not part of its eBay APIs; no fault or call limit applies). */
@ApiTags('admin')
@ApiBearerAuth()
@UseGuards(SandboxAdminGuard)
@ApiProblems(401)
@Controller('admin/marketplace')
export class MarketplaceAdminController {
  constructor(
    private readonly inventory: InventoryService,
    private readonly orders: MarketplaceOrdersService,
  ) {}

  @Post('inventory-items')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'upsertMarketplaceInventoryItems',
    summary: 'Create or replace inventory items (listings with a quantity), up to 10,000 per call',
    description:
      "Seeds the marketplace's listings for tests and demos: each SKU's quantity (and title, and the unit price " +
      'its orders are charged, 10.00 USD when left out) is set as given. A SKU given twice: the last entry wins; ' +
      'answers the number of distinct SKUs. Not a call of the Inventory API: not recorded as a quantity update.',
  })
  @ApiResponse({ status: 200, type: MarketplaceUpsertedView })
  @ApiProblems(400)
  async upsertMarketplaceInventoryItems(
    @Body() input: UpsertMarketplaceItemsInput,
  ): Promise<MarketplaceUpsertedView> {
    return { upserted: await this.inventory.upsertItems(input.inventoryItems) };
  }

  @Post('orders')
  @ApiOperation({
    operationId: 'createMarketplaceOrders',
    summary: 'Buyers buy: create 1 to 100 orders of listed SKUs',
    description:
      'Each order is a buyer buying `quantity` of listed SKUs. The sale is never refused for want of quantity: ' +
      "on a real marketplace it happens whatever the seller last sent; each sale lowers the item's quantity, " +
      'not below 0. `creationDate` (in the last two years) backdates an order, which is also its first ' +
      'lastModifiedDate. Every call creates new orders. A SKU that is not listed is 422 `unknown-sku` and ' +
      'nothing is created.',
  })
  @ApiResponse({
    status: 201,
    type: CreatedMarketplaceOrdersView,
    description: 'The orders, as getOrder shows them',
  })
  @ApiProblems(400, [422, 'A SKU is not listed on the marketplace (`unknown-sku`); nothing created'])
  async createMarketplaceOrders(
    @Body() input: CreateMarketplaceOrdersInput,
  ): Promise<CreatedMarketplaceOrdersView> {
    return { orders: await this.orders.create(input.orders) };
  }

  @Post('orders/:orderId/buyer-cancel-request')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'requestMarketplaceOrderCancel',
    summary: 'A buyer asks to cancel an order',
    description:
      "The order's cancelStatus.cancelState becomes IN_PROGRESS with a buyer's cancel request, and its " +
      'lastModifiedDate now: the change a poller of getOrders by lastmodifieddate must see. 404 `order-not-found`; ' +
      '409 `cancellation-exists` when the order has a cancellation already.',
  })
  @ApiResponse({ status: 200, type: OrderView })
  @ApiProblems(400, [404, 'No such order'], [409, 'The order has a cancellation already'])
  requestMarketplaceOrderCancel(
    @Param('orderId') orderId: string,
    @Body() input: BuyerCancelRequestInput,
  ): Promise<OrderView> {
    return this.orders.buyerCancelRequest(orderId, input.reason ?? 'ORDER_MISTAKE');
  }

  @Get('quantity-updates')
  @ApiOperation({
    operationId: 'listMarketplaceQuantityUpdates',
    summary: 'The quantity updates bulk_update_price_quantity applied, oldest first',
    description:
      'One row per SKU updated per call (updates of one call share their callId), optionally of one SKU. Paged ' +
      'with `page` and `pageSize` (up to 500).',
  })
  @ApiResponse({ status: 200, type: QuantityUpdatePageView })
  @ApiProblems(400)
  listMarketplaceQuantityUpdates(@Query() query: QuantityUpdateQuery): Promise<QuantityUpdatePageView> {
    return this.inventory.updates(query.sku, paging(query));
  }
}
