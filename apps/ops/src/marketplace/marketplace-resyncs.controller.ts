import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '@stockbridge/app-platform';
import { Actor } from '../auth/actor.decorator';
import { uuidParam } from '../infra/uuid.pipe';
import { ChannelParams, MarketplaceResyncView } from './marketplace-resync.dto';
import { MarketplaceResyncs } from './marketplace-resyncs.service';

@ApiTags('marketplace')
@ApiBearerAuth()
@Controller('v1/channels/:channel')
export class MarketplaceResyncsController {
  constructor(private readonly resyncs: MarketplaceResyncs) {}

  @Post('resync')
  @HttpCode(202)
  @ApiOperation({
    operationId: 'requestMarketplaceResync',
    summary: "Asks for a full resync of a marketplace channel's quantities (audited)",
    description:
      "The channel's experience-marketplace reads every listing's quantity from the marketplace, marks every SKU " +
      'of the channel pending and pushes the figures that differ, listings changed on the marketplace included. ' +
      'At most one resync waits per channel: asking while one waits answers that one (202 either way).',
  })
  @ApiResponse({ status: 202, type: MarketplaceResyncView })
  @ApiProblems(400, 401, [404, 'Unknown channel'], [409, 'A resync was taken up while asking; ask again'])
  requestMarketplaceResync(
    @Param() params: ChannelParams,
    @Actor() actor: string,
  ): Promise<MarketplaceResyncView> {
    return this.resyncs.request(params.channel, actor);
  }

  @Get('resyncs/:id')
  @ApiOperation({
    operationId: 'getMarketplaceResync',
    summary: 'One resync of a marketplace channel and its outcome',
    description:
      'Its state (`requested`, `running`, `done`), the listings the marketplace reported, the SKUs marked pending ' +
      'and how many listings differed from what the platform had sent; `lastError` while the marketplace could ' +
      'not be read (the resync is tried again after a pause).',
  })
  @ApiResponse({ status: 200, type: MarketplaceResyncView })
  @ApiProblems(401, [400, 'Invalid channel or id'], [404, 'No such resync of the channel'])
  getMarketplaceResync(
    @Param('channel') channel: string,
    @Param('id', uuidParam('id')) id: string,
  ): Promise<MarketplaceResyncView> {
    return this.resyncs.get(channel, id);
  }
}
