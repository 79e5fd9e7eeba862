import { BullRegistrar } from '@nestjs/bullmq';
import { Injectable, Logger, type OnModuleInit, Optional } from '@nestjs/common';
import { DiscoveryService, Reflector } from '@nestjs/core';
import { ReliableWorker } from './reliable-worker';
import { type QueueHandler, queueWiringProblems, QueueWiringError } from './queue-wiring';

/**
 * Where `@Processor(name)` of @nestjs/bullmq keeps its options (`bull.constants.ts`, not exported by the
 * package); the unit test proves it against the real decorator.
 */
export const PROCESSOR_METADATA = 'bullmq:processor_metadata';

/** The queues the app declared in `MessagingModule.forRoot`. */
export class QueueWiringOptions {
  queues: readonly string[] = [];
  consumes: readonly string[] = [];
}

/**
 * Refuses to start an app whose queues and job processors do not match (`queueWiringProblems`): a consumed
 * queue nobody handles, a handler of a queue the app does not consume, a queue nobody feeds. It runs when
 * the modules initialise, before any worker exists: the module registers the workers itself (BullMQ's own
 * registration is off, `manualRegistration`), and only once the wiring is right.
 */
@Injectable()
export class QueueHandlerCheck implements OnModuleInit {
  private readonly log = new Logger(QueueHandlerCheck.name);

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly reflector: Reflector,
    private readonly options: QueueWiringOptions,
    @Optional() private readonly registrar?: BullRegistrar,
  ) {}

  onModuleInit(): void {
    const handlers = this.handlers();
    const problems = queueWiringProblems({
      queues: this.options.queues,
      consumes: this.options.consumes,
      handlers,
    });
    if (problems.length > 0) throw new QueueWiringError(problems);
    this.registrar?.register();
    if (handlers.length > 0) this.log.log(`workers started for ${handlers.map((h) => h.queue).join(', ')}`);
  }

  /** Every provider decorated with `@Processor`, as @nestjs/bullmq finds them. */
  handlers(): QueueHandler[] {
    const found: QueueHandler[] = [];
    for (const wrapper of this.discovery.getProviders()) {
      // A `useValue` or `useFactory` provider has no class of its own: its instance's class is the processor.
      const type: unknown =
        !wrapper.metatype || wrapper.inject
          ? (wrapper.instance as object | undefined)?.constructor
          : wrapper.metatype;
      if (typeof type !== 'function') continue;
      const meta = this.reflector.get<{ name?: string } | undefined>(PROCESSOR_METADATA, type);
      if (!meta) continue;
      const instance: unknown = wrapper.instance;
      found.push({
        name: type.name,
        queue: String(meta.name),
        workerQueue: instance instanceof ReliableWorker ? instance.consumedQueue : undefined,
      });
    }
    return found;
  }
}
