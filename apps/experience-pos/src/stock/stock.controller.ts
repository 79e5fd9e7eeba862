import { Controller, Get, Param, Req, UseGuards, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems, type Problem, ProblemError, QueryCatalogCodes } from '@stockbridge/app-platform';
import {
  ActsForStore,
  ApiKeyGuard,
  type AuthenticatedRequest,
  relay,
  RequiresScope,
  RetryAfterInterceptor,
} from '@stockbridge/channel-api';
import { CODE_PATTERN, keyProblems, STORE_PARAM, UPSTREAM_PROBLEMS } from '../pos-openapi';
import { ProcessReservationsClient } from '../process-client/process-reservations.client';
import { STOCK_EXAMPLE, PosStoreStock } from './stock.dto';

const MAX_SKUS = 50;

@ApiTags('stock')
@ApiBearerAuth()
@UseGuards(ApiKeyGuard)
@UseInterceptors(RetryAfterInterceptor)
@ActsForStore()
@Controller('v1/stores/:store/stock')
export class StockController {
  constructor(private readonly process: ProcessReservationsClient) {}

  @Get()
  @RequiresScope('pos:stock:read')
  @ApiOperation({
    operationId: 'getStoreStock',
    summary: 'What your store can sell of each SKU, and the other stores that have it, nearest first',
    description:
      'At most 50 SKUs per call. `available` is what your store can sell or promise for pickup now (held pickups ' +
      'and safety stock deducted, the channel policy applied); a SKU your store sold beyond its stock shows 0 ' +
      'until the shelf is counted. `nearby` lists the other stores of your channel by distance, for a customer ' +
      'you send elsewhere. An unknown SKU shows 0 everywhere.',
  })
  @ApiParam(STORE_PARAM)
  @ApiQuery({
    name: 'sku',
    required: true,
    description: 'The SKUs to read (1–50; repeat the parameter)',
    schema: {
      type: 'array',
      minItems: 1,
      maxItems: MAX_SKUS,
      items: { type: 'string', pattern: CODE_PATTERN.source },
    },
    style: 'form',
    explode: true,
    example: ['SKU-00001', 'SKU-00002'],
  })
  @ApiResponse({ status: 200, type: PosStoreStock, example: STOCK_EXAMPLE })
  @ApiProblems(
    [400, 'No sku, more than 50, or an invalid one', ['validation-failed']],
    ...keyProblems('pos:stock:read'),
    [404, 'Your store is no longer a store of your channel'],
    ...UPSTREAM_PROBLEMS,
  )
  async getStoreStock(
    @Req() request: AuthenticatedRequest,
    @Param('store') store: string,
    @QueryCatalogCodes({ name: 'sku', max: MAX_SKUS, example: 'SKU-00001' }) skus: string[],
  ): Promise<PosStoreStock> {
    const query = skus.map((s) => `sku=${encodeURIComponent(s)}`).join('&');
    const res = await this.process.call<PosStoreStock | Problem>(
      'GET',
      `/v1/channels/${request.client.channel}/stores/${encodeURIComponent(store)}/stock?${query}`,
      { correlationId: request.id },
    );
    if (res.status === 200) return toStoreStock(res.body as PosStoreStock);
    const p = res.body as Problem;
    if (res.status === 404 && typeof p.type === 'string') relay(p);
    throw ProblemError.of(
      502,
      'upstream-error',
      'The inventory service answered unexpectedly; retry shortly.',
    );
  }
}

/** The process API's answer in the POS contract's fields and order. */
function toStoreStock(s: PosStoreStock): PosStoreStock {
  return {
    store: s.store,
    asOf: s.asOf,
    items: s.items.map((i) => ({
      sku: i.sku,
      available: i.available,
      nearby: i.nearby.map((n) => ({
        location: n.location,
        name: n.name,
        distanceKm: n.distanceKm,
        available: n.available,
      })),
    })),
  };
}
