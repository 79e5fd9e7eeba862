import { type DynamicModule, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import {
  loggingModule,
  OPERATIONS_CONTROLLERS,
  OperationsModule,
  ReadinessProbe,
  ServiceToken,
} from '@stockbridge/app-platform';
import { MessagingModule, MessagingReadiness } from '@stockbridge/messaging';
import { DatabaseModule } from '@stockbridge/persistence';
import { AvailabilityChangeFeed, connectRedis, readModelProviders } from '@stockbridge/read-model';
import { OutboundController } from './api/outbound.controller';
import { MarketplaceReadiness } from './infra/readiness';
import { MarketplaceConfig } from './marketplace.config';
import { EbayMarketplaceAdapter } from './marketplace/ebay-marketplace.adapter';
import {
  ClientCredentialsAuth,
  type MarketplaceAuth,
  NoMarketplaceAuth,
  StaticTokenAuth,
} from './marketplace/marketplace-auth';
import { MarketplacePort } from './marketplace/marketplace.port';
import { FeedConsumer } from './outbound/feed-consumer';
import { ListingUpdateReplayJob } from './outbound/listing-update-replay.job';
import { Listings } from './outbound/listings';
import { OutboundLeader } from './outbound/outbound-leader';
import { OutboundMetrics } from './outbound/outbound-metrics';
import { RateBudget } from './outbound/pacing';
import { Pusher } from './outbound/pusher';
import { RefusalLetters } from './outbound/refusal-letters';
import { ResyncRunner } from './outbound/resync-runner';
import { Resyncs } from './outbound/resyncs';

/** The consumer group (and its one consumer, the leader) of the channel's change feed. */
const FEED_GROUP = 'experience-marketplace';
/** DI token of the change feed's own Redis connection. */
const FEED_REDIS = 'marketplace:feed-redis';

function marketplaceAuth(config: MarketplaceConfig): MarketplaceAuth {
  switch (config.MARKETPLACE_AUTH) {
    case 'none':
      return new NoMarketplaceAuth();
    case 'token':
      return new StaticTokenAuth(config.MARKETPLACE_ACCESS_TOKEN!);
    case 'oauth2':
      return new ClientCredentialsAuth({
        tokenUrl: config.MARKETPLACE_TOKEN_URL!,
        clientId: config.MARKETPLACE_CLIENT_ID!,
        clientSecret: config.MARKETPLACE_CLIENT_SECRET!,
        scope: config.MARKETPLACE_SCOPE,
        format: config.MARKETPLACE_TOKEN_REQUEST,
        timeoutMs: config.MARKETPLACE_TIMEOUT_MS,
      });
  }
}

/** Closes what the outbound side holds once the leader has stopped (after beforeApplicationShutdown). */
@Injectable()
class OutboundCloser implements OnApplicationShutdown {
  constructor(
    @Inject(MarketplacePort) private readonly port: MarketplacePort,
    @Inject(FEED_REDIS) private readonly feedRedis: { quit(): Promise<unknown>; disconnect(): void },
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.port.close().catch(() => undefined);
    await this.feedRedis.quit().catch(() => this.feedRedis.disconnect());
  }
}

/**
 * The marketplace channel (docs/channels/marketplace.md): every change of the channel's availability reaches
 * the marketplace, through a port with one adapter (eBay). An experience app: it reads the read model, never
 * the ledger; its own tables (listings, resyncs) and the dead letters are its only SQL.
 */
@Module({})
export class MarketplaceModule {
  static forRoot(config: MarketplaceConfig): DynamicModule {
    return {
      module: MarketplaceModule,
      imports: [
        loggingModule('experience-marketplace', config.LOG_LEVEL),
        OperationsModule.forRoot('experience-marketplace'),
        DatabaseModule.forRoot({
          databaseUrl: config.DATABASE_URL,
          poolSize: config.DB_POOL_SIZE,
          applicationName: 'experience-marketplace',
        }),
        MessagingModule.forRoot({
          redisUrl: config.REDIS_URL,
          prefix: config.REDIS_PREFIX,
          queues: ['marketplace.listing-updates'],
          consumes: ['marketplace.listing-updates'],
        }),
      ],
      controllers: [...OPERATIONS_CONTROLLERS, OutboundController],
      providers: [
        { provide: MarketplaceConfig, useValue: config },
        { provide: ServiceToken, useValue: new ServiceToken(config.SERVICE_TOKEN) },
        ...readModelProviders(config.REDIS_URL, config.REDIS_PREFIX),
        MessagingReadiness,
        { provide: ReadinessProbe, useClass: MarketplaceReadiness },
        {
          provide: MarketplacePort,
          useFactory: () =>
            new EbayMarketplaceAdapter(
              config.MARKETPLACE_URL,
              marketplaceAuth(config),
              config.MARKETPLACE_TIMEOUT_MS,
            ),
        },
        // The feed's reads block: a connection of its own.
        { provide: FEED_REDIS, useFactory: () => connectRedis(config.REDIS_URL) },
        {
          provide: AvailabilityChangeFeed,
          inject: [FEED_REDIS],
          useFactory: (redis: Awaited<ReturnType<typeof connectRedis>>) =>
            new AvailabilityChangeFeed(
              redis,
              config.REDIS_PREFIX,
              config.MARKETPLACE_CHANNEL,
              FEED_GROUP,
              'leader',
            ),
        },
        { provide: RateBudget, useValue: new RateBudget(config.MARKETPLACE_CALLS_PER_SECOND) },
        Listings,
        Resyncs,
        RefusalLetters,
        OutboundMetrics,
        Pusher,
        ResyncRunner,
        FeedConsumer,
        OutboundLeader,
        OutboundCloser,
        ListingUpdateReplayJob,
      ],
    };
  }
}
