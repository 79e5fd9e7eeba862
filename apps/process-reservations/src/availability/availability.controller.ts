import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems, ProblemError, ServiceTokenGuard } from '@stockbridge/app-platform';
import { Availability, Catalog } from '@stockbridge/ledger';
import { CODE_PATTERN } from '../reservations/reservation.dto';
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
    @Query('sku') sku: string | string[] | undefined,
  ): Promise<ChannelAvailabilityView> {
    const skus = [...new Set(sku === undefined ? [] : Array.isArray(sku) ? sku : [sku])];
    if (skus.length === 0 || skus.length > 100)
      throw ProblemError.of(400, 'validation-failed', 'Give between 1 and 100 sku parameters.');
    const bad = skus.filter((s) => !CODE_PATTERN.test(s));
    if (bad.length > 0)
      throw ProblemError.of(
        400,
        'validation-failed',
        `Invalid SKU ${bad.map((b) => JSON.stringify(b)).join(', ')}.`,
      );
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
