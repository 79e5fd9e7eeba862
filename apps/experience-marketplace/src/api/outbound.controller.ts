import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems, ProblemError, ServiceTokenGuard } from '@stockbridge/app-platform';
import { MarketplaceConfig } from '../marketplace.config';
import { MarketplacePort } from '../marketplace/marketplace.port';
import { Listings } from '../outbound/listings';
import { OutboundLeader } from '../outbound/outbound-leader';
import { Resyncs } from '../outbound/resyncs';
import { OutboundStatusView, ResyncRequest, ResyncView, toResyncView } from './outbound.dto';

/** The operators' handles on the outbound quantities: resyncs and status (service token; ops relays them). */
@ApiTags('outbound')
@ApiBearerAuth()
@UseGuards(ServiceTokenGuard)
@Controller('v1/marketplace')
export class OutboundController {
  constructor(
    private readonly config: MarketplaceConfig,
    private readonly resyncs: Resyncs,
    private readonly listings: Listings,
    private readonly leader: OutboundLeader,
    private readonly port: MarketplacePort,
  ) {}

  @Post('resync')
  @HttpCode(202)
  @ApiOperation({
    operationId: 'requestMarketplaceResync',
    summary: 'Asks for a full resync of the channel with the marketplace',
    description:
      "The leader reads every listing's quantity from the marketplace, marks every SKU of the channel pending and " +
      'pushes the figures that differ (listings changed on the marketplace included). At most one resync waits: ' +
      'asking while one waits answers that one.',
  })
  @ApiResponse({ status: 202, type: ResyncView })
  @ApiProblems(400, 401)
  async requestMarketplaceResync(@Body() body: ResyncRequest): Promise<ResyncView> {
    const resync = await this.resyncs.request(
      this.config.MARKETPLACE_CHANNEL,
      'api',
      body.requestedBy ?? 'api',
    );
    this.leader.work.notify();
    return toResyncView(resync);
  }

  @Get('resyncs/:id')
  @ApiOperation({
    operationId: 'getMarketplaceResync',
    summary: 'One resync and its outcome',
    description:
      'Its state (`requested`, `running`, `done`), the listings the marketplace reported, the SKUs marked pending ' +
      'and how many listings differed from what the platform had sent; `lastError` while the marketplace could ' +
      'not be read (the resync is tried again after a pause).',
  })
  @ApiResponse({ status: 200, type: ResyncView })
  @ApiProblems(401, [400, 'The id is not a UUID'], [404, 'No such resync'])
  async getMarketplaceResync(@Param('id', new ParseUUIDPipe()) id: string): Promise<ResyncView> {
    const resync = await this.resyncs.get(id);
    if (!resync || resync.channel !== this.config.MARKETPLACE_CHANNEL)
      throw ProblemError.of(404, 'not-found', `No resync ${id} of this channel.`);
    return toResyncView(resync);
  }

  @Get('status')
  @ApiOperation({
    operationId: 'getMarketplaceOutboundStatus',
    summary: 'Pending changes, their lag and refused listings',
    description:
      'From PostgreSQL, so any replica answers for the channel: SKUs whose latest figure is not sent yet, the age ' +
      'of the oldest such change, SKUs whose last figure the marketplace refused (dead-lettered), and whether the ' +
      'replica that answered is the one pushing.',
  })
  @ApiResponse({ status: 200, type: OutboundStatusView })
  @ApiProblems(401)
  async getMarketplaceOutboundStatus(): Promise<OutboundStatusView> {
    const counts = await this.listings.counts(this.config.MARKETPLACE_CHANNEL);
    return {
      channel: this.config.MARKETPLACE_CHANNEL,
      marketplace: this.port.name,
      leading: this.leader.leading,
      listings: counts.total,
      pending: counts.pending,
      oldestPendingSeconds: counts.oldestPendingSeconds,
      refused: counts.refused,
    };
  }
}
