import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems, ProblemError } from '@stockbridge/app-platform';
import { NativeApi } from '../faults/native-api.decorator';
import { CODE_MESSAGE, CODE_PATTERN } from '../infra/codes';
import { paging } from '../infra/paging';
import { PageQuery } from '../infra/paging.dto';
import { ListingPageView, ListingQuantityInput, ListingView } from './marketplace.dto';
import { MarketplaceService } from './marketplace.service';

/** The stand-in marketplace's own API: the sellable quantity per seller SKU. */
@ApiTags('marketplace')
@NativeApi('marketplace')
@Controller('marketplace/api/listings')
export class MarketplaceController {
  constructor(private readonly marketplace: MarketplaceService) {}

  @Put(':sellerSku/quantity')
  @ApiOperation({
    operationId: 'setMarketplaceQuantity',
    summary: 'Set the quantity offered for a seller SKU (creates the listing)',
    description:
      'Replaces the quantity the marketplace offers for a seller SKU; its first update creates the ' +
      'listing. Every call is recorded as an update (counted by GET /admin/stats), even one that ' +
      'repeats the current quantity. A sellerSku that is not a code is 400.',
  })
  @ApiResponse({ status: 200, type: ListingView })
  @ApiProblems(400)
  setMarketplaceQuantity(
    @Param('sellerSku') sellerSku: string,
    @Body() input: ListingQuantityInput,
  ): Promise<ListingView> {
    if (!CODE_PATTERN.test(sellerSku))
      throw ProblemError.of(400, 'validation-failed', `sellerSku ${CODE_MESSAGE}`);
    return this.marketplace.setQuantity(sellerSku, input.quantity);
  }

  @Get()
  @ApiOperation({
    operationId: 'listMarketplaceListings',
    summary: 'Listings by seller SKU',
    description:
      'Every listing, ordered by seller SKU, with its quantity and when it last changed. Paged with ' +
      '`page` and `pageSize` (up to 500).',
  })
  @ApiResponse({ status: 200, type: ListingPageView })
  @ApiProblems(400)
  listMarketplaceListings(@Query() query: PageQuery): Promise<ListingPageView> {
    return this.marketplace.list(paging(query));
  }
}
