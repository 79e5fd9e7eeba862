import { Controller, Get, Param, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  ApiProblems,
  CATALOG_CODE_PATTERN,
  PathCodePipe,
  ProblemError,
  QueryCatalogCodes,
  ServiceTokenGuard,
} from '@stockbridge/app-platform';
import { LedgerError, StoreStock } from '@stockbridge/ledger';
import { StoreStockView } from './store-stock.dto';

const unknownChannel = (v: string) =>
  ProblemError.of(404, 'unknown-channel', `Channel "${v}" does not exist.`);
const notAStoreOf = (store: string, channel: string) =>
  ProblemError.of(
    404,
    'unknown-location',
    `Location "${store}" is not a store of channel "${channel}"'s location pool.`,
  );

/** The channel in the path: a code that cannot be a channel's is no channel (404). */
export const ChannelCodeParam = new PathCodePipe((v) => /^[a-z0-9-]{1,32}$/.test(v), unknownChannel);
/** The store in the path: a code that cannot be a location's is no store (404). */
export const StoreCodeParam = new PathCodePipe(
  (v) => CATALOG_CODE_PATTERN.test(v),
  (v) => ProblemError.of(404, 'unknown-location', `Location "${v}" does not exist or is not a store.`),
);

@ApiTags('stores')
@ApiBearerAuth()
@UseGuards(ServiceTokenGuard)
@Controller('v1/channels/:channel/stores/:store/stock')
export class StoreStockController {
  constructor(private readonly stock: StoreStock) {}

  @Get()
  @ApiOperation({
    operationId: 'getStoreStock',
    summary: "Stock of SKUs at one of the channel's stores and at its other stores, nearest first",
    description:
      'For the POS and click and collect: per SKU, what the channel may sell at this store, and at the ' +
      "channel's other stores ordered by great-circle distance from it (stores without coordinates last), at " +
      "most 10. Figures are the channel's per-location figures computed from the ledger now (its buffer applied, " +
      'never above the channel figure, the stale figure once stale); a store whose tills oversold shows 0 until ' +
      'counted. A SKU the catalog does not know is 0. 1–50 `sku` parameters (400 otherwise); an unknown channel ' +
      'is 404 `unknown-channel`, a store outside its pool 404 `unknown-location`.',
  })
  @ApiQuery({ name: 'sku', isArray: true, type: String, description: '1–50 SKUs' })
  @ApiResponse({ status: 200, type: StoreStockView })
  @ApiProblems(400, 401, [404, "Unknown channel, or the store is not one of the channel's stores"])
  async getStoreStock(
    @Param('channel', ChannelCodeParam) channel: string,
    @Param('store', StoreCodeParam) store: string,
    @QueryCatalogCodes({ name: 'sku', max: 50, example: 'SKU-00001' }) skus: string[],
  ): Promise<StoreStockView> {
    try {
      const view = await this.stock.at(channel, store, skus);
      return { store: view.store, asOf: view.asOf.toISOString(), items: view.items };
    } catch (err) {
      if (err instanceof LedgerError && err.code === 'unknown-channel') throw unknownChannel(channel);
      if (err instanceof LedgerError && err.code === 'unknown-location') throw notAStoreOf(store, channel);
      throw err;
    }
  }
}
