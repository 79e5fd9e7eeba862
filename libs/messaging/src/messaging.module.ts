import { BullModule, getQueueToken } from '@nestjs/bullmq';
import { type DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Db } from '@stockbridge/persistence';
import type { Queue } from 'bullmq';
import { AuditLog } from './audit-log';
import { DeadLetterSweeper, DeadLetterSweeperOptions } from './dead-letter-sweeper';
import { DeadLetters } from './dead-letters';
import { Inbox } from './inbox';
import { MessagingMetrics, WorkerSupport } from './messaging-metrics';
import { OutboxRelay, OutboxRelayOptions } from './outbox-relay';
import { QueueHandlerCheck, QueueWiringOptions } from './queue-handler-check';
import { QueueRegistry } from './queue-registry';
import { jobOptions, type QueueName, ROUTES } from './queues';
import { redisOptionsFromUrl } from './redis-options';

export interface MessagingModuleOptions {
  redisUrl: string;
  /** The app's Redis key prefix (REDIS_PREFIX); queues live under `<prefix>q`. */
  prefix: string;
  /** Queues this app produces to, consumes or administers. */
  queues: QueueName[];
  /**
   * Queues whose workers run in this app: their failed sets are swept into the dead letters. The app
   * refuses to start unless each has exactly one `ReliableWorker` and each worker's queue is listed here.
   */
  consumes?: QueueName[];
  /** Runs the outbox relay (apps that write outbox rows). */
  relay?: Partial<OutboxRelayOptions> | false;
}

/**
 * BullMQ on Redis for one app (docs/messaging.md): the connection (workers wait through Redis outages, producers
 * fail fast), the queues with their retry policies, the outbox relay, the inbox, the dead letters and the
 * audit log. Needs a `Db` (DatabaseModule or LedgerModule) in the app. The workers start only once
 * QueueHandlerCheck has found the queues and their processors matching.
 */
@Module({})
export class MessagingModule {
  static forRoot(options: MessagingModuleOptions): DynamicModule {
    const connection = {
      ...redisOptionsFromUrl(options.redisUrl),
      // Workers wait through an outage instead of failing their commands...
      maxRetriesPerRequest: null,
      // ...and reconnect within 2 s of Redis coming back (the default backs off to 20 s).
      retryStrategy: (times: number) => Math.min(100 * times, 2_000),
    };
    // An app that relays the outbox may find any event type in it (the outbox is shared by the process
    // apps), so it produces to every routed queue.
    const names = [
      ...new Set<QueueName>([
        ...options.queues,
        ...(options.relay ? (Object.values(ROUTES).flat() as QueueName[]) : []),
      ]),
    ];
    const queueImports = names.map((name) =>
      BullModule.registerQueue({
        name,
        defaultJobOptions: jobOptions(name),
      }),
    );
    const relay =
      options.relay === undefined || options.relay === false
        ? null
        : Object.assign(new OutboxRelayOptions(), options.relay);
    const sweeper = Object.assign(new DeadLetterSweeperOptions(), { queues: options.consumes ?? [] });
    return {
      module: MessagingModule,
      global: true,
      imports: [
        DiscoveryModule,
        // Workers are registered by QueueHandlerCheck, after it checked the wiring.
        BullModule.forRoot({
          connection,
          prefix: `${options.prefix}q`,
          extraOptions: { manualRegistration: true },
        }),
        ...queueImports,
      ],
      providers: [
        {
          provide: QueueRegistry,
          inject: names.map((name) => getQueueToken(name)),
          useFactory: (...queues: Queue[]) => new QueueRegistry(queues),
        },
        { provide: Inbox, inject: [Db], useFactory: (db: Db) => new Inbox(db) },
        { provide: DeadLetters, inject: [Db], useFactory: (db: Db) => new DeadLetters(db) },
        { provide: AuditLog, inject: [Db], useFactory: (db: Db) => new AuditLog(db) },
        { provide: DeadLetterSweeperOptions, useValue: sweeper },
        {
          provide: QueueWiringOptions,
          useValue: Object.assign(new QueueWiringOptions(), {
            queues: names,
            consumes: options.consumes ?? [],
          }),
        },
        QueueHandlerCheck,
        DeadLetterSweeper,
        MessagingMetrics,
        WorkerSupport,
        ...(relay ? [{ provide: OutboxRelayOptions, useValue: relay }, OutboxRelay] : []),
      ],
      exports: [
        QueueRegistry,
        Inbox,
        DeadLetters,
        AuditLog,
        DeadLetterSweeper,
        MessagingMetrics,
        WorkerSupport,
        ...(relay ? [OutboxRelay] : []),
        ...queueImports,
      ],
    };
  }
}
