import { Controller, Get, Param, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems, QueryCatalogCodes, ProblemError, ServiceTokenGuard } from '@stockbridge/app-platform';
import { Availability, Catalog } from '@stockbridge/ledger';
import { ChannelAvailabilityView } from './availability.dto';

@ApiTags('availability')
@ApiBearerAuth()
@UseGuards(ServiceTokenGuard)
@Controller('v1/channels/:channel/availability')
export class AvailabilityController {
  constructor(
    private readonly availability: Availability,
    private readonly catalog: Catalog,
  ) {}

  @Get()
  @ApiOperation({
    operationId: 'getChannelAvailability',
    summary: 'Channel availability computed from the ledger now (the read model serves the storefront)',
    description:
      "What the channel may sell of each SKU, computed from the ledger at the time of the call: its pool's " +
      "available to sell after the channel's buffer, holdback and exposure cap, and a figure per pool location " +
      '(for pickup) never above the channel figure. Past the staleness limit (the oldest report of a pool ' +
      "location plus the channel's stalenessSeconds) the channel is shown its stale figure (0 with staleMode " +
      '`zero`). A SKU the catalog does not know is `known: false` with 0, not an error; a repeated SKU counts ' +
      "once. For diagnostics and the platform's own layers: storefronts read the published read model through " +
      'experience-storefront. 1–100 `sku` parameters (400 otherwise); an unknown channel is 404 `unknown-channel`.',
  })
  @ApiQuery({ name: 'sku', isArray: true, type: String, description: '1–100 SKUs' })
  @ApiResponse({ status: 200, type: ChannelAvailabilityView })
  @ApiProblems(400, 401, [404, 'Unknown channel'])
  async getChannelAvailability(
    @Param('channel') channel: string,
    @QueryCatalogCodes({ name: 'sku', max: 100, example: 'SKU-00001' }) skus: string[],
  ): Promise<ChannelAvailabilityView> {
    if (!(await this.catalog.channel(channel)))
      throw ProblemError.of(404, 'unknown-channel', `Channel "${channel}" does not exist.`);
    const figures = await this.availability.compute(skus, [channel]);
    const bySku = new Map(figures.map((f) => [f.sku, f]));
    const now = new Date();
    return {
      channel,
      asOf: (figures[0]?.asOf ?? now).toISOString(),
      items: skus.map((s) => {
        const f = bySku.get(s);
        if (!f) return { sku: s, known: false, available: 0, locations: [] };
        const stale = f.staleAt !== null && now >= f.staleAt;
        const cap = stale ? f.staleAvailable : f.available;
        return {
          sku: s,
          known: true,
          available: cap,
          locations: f.locations.map((l) => ({
            location: l.location,
            available: Math.min(cap, l.available),
          })),
        };
      }),
    };
  }
}
