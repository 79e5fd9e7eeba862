import { Module } from '@nestjs/common';
import { MarketplaceResyncsController } from './marketplace-resyncs.controller';
import { MarketplaceResyncs } from './marketplace-resyncs.service';

/** Marketplace channels' resyncs on an operator's behalf (behind the app-wide AdminGuard, audited). */
@Module({
  controllers: [MarketplaceResyncsController],
  providers: [MarketplaceResyncs],
})
export class OpsMarketplaceModule {}
