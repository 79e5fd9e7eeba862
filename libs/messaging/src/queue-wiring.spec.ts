import { BullRegistrar, Processor } from '@nestjs/bullmq';
import { Injectable, Module, type Type } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import type { Job } from 'bullmq';
import { WorkerSupport } from './messaging-metrics';
import { QueueHandlerCheck, QueueWiringOptions } from './queue-handler-check';
import { type QueueHandler, queueWiringProblems, QueueWiringError, type QueueTable } from './queue-wiring';
import { QUEUE_NAMES, QUEUES, type QueueName } from './queues';
import { ReliableWorker } from './reliable-worker';

/** A registry of its own: app-a consumes an event queue and a command queue, app-b another event queue. */
const table: QueueTable = {
  queues: {
    'a.events': { carries: 'inventory.stock-moved', consumer: 'app-a' },
    'a.commands': { carries: 'command', consumer: 'app-a' },
    'b.events': { carries: 'inventory.stock-moved', consumer: 'app-b' },
    'c.unfed': { carries: 'order.status-reported', consumer: 'app-c' },
  },
  routes: { 'inventory.stock-moved': ['a.events', 'b.events'] },
};

const worker = (queue: string, name = `Job${queue}`): QueueHandler => ({ name, queue, workerQueue: queue });
const appA = {
  queues: ['a.events', 'a.commands', 'b.events'],
  consumes: ['a.events', 'a.commands'],
  handlers: [worker('a.events', 'EventsJob'), worker('a.commands', 'CommandsJob')],
};

describe('queueWiringProblems', () => {
  it('accepts an app whose every consumed queue has one ReliableWorker, and which consumes all its queues', () => {
    expect(queueWiringProblems(appA, table)).toEqual([]);
  });

  it('refuses a consumed queue that no processor handles', () => {
    const problems = queueWiringProblems({ ...appA, handlers: [worker('a.events')] }, table);
    expect(problems).toEqual([
      expect.stringMatching(/consumes "a\.commands" but no provider handles it.*wait forever/),
    ]);
  });

  it('refuses a processor of a queue the app does not list in consumes', () => {
    const problems = queueWiringProblems(
      { ...appA, consumes: ['a.events'], handlers: [...appA.handlers] },
      table,
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/CommandsJob handles "a\.commands", which the app does not list in .*consumes/),
      ]),
    );
  });

  it('refuses a processor that names a queue the registry does not know', () => {
    const problems = queueWiringProblems(
      { ...appA, handlers: [...appA.handlers, worker('a.evnets', 'TypoJob')] },
      table,
    );
    expect(problems).toEqual([
      expect.stringMatching(/TypoJob handles "a\.evnets", which is no queue of the registry/),
    ]);
  });

  it('refuses a processor that is no ReliableWorker, and one that gives ReliableWorker another queue', () => {
    const problems = queueWiringProblems(
      {
        ...appA,
        handlers: [
          { name: 'PlainJob', queue: 'a.events', workerQueue: undefined },
          { name: 'CrossedJob', queue: 'a.commands', workerQueue: 'a.events' },
        ],
      },
      table,
    );
    expect(problems).toEqual([
      expect.stringMatching(/PlainJob .* does not extend ReliableWorker/),
      expect.stringMatching(/CrossedJob is @Processor\("a\.commands"\) but gives ReliableWorker "a\.events"/),
    ]);
  });

  it('refuses two processors of one queue', () => {
    const problems = queueWiringProblems(
      { ...appA, handlers: [...appA.handlers, worker('a.events', 'SecondJob')] },
      table,
    );
    expect(problems).toEqual(['"a.events" has 2 handlers (EventsJob, SecondJob): one per queue']);
  });

  it('refuses a consumed queue the app does not register', () => {
    const problems = queueWiringProblems({ ...appA, queues: ['a.events'] }, table);
    expect(problems).toEqual([
      expect.stringMatching(/consumes "a\.commands" but does not register it in .*queues/),
    ]);
  });

  it('refuses a consumed queue the registry does not know, and one no event is routed to', () => {
    const problems = queueWiringProblems(
      { queues: ['c.unfed', 'nowhere'], consumes: ['c.unfed', 'nowhere'], handlers: [worker('c.unfed')] },
      table,
    );
    expect(problems).toEqual([
      expect.stringMatching(/no "order\.status-reported" event to it: nobody publishes to it/),
      'the app consumes "nowhere", which is no queue of the registry (libs/messaging/src/queues.ts)',
    ]);
  });

  it("refuses an app that consumes another app's queue, or only part of its own", () => {
    const both = queueWiringProblems(
      {
        queues: appA.queues,
        consumes: [...appA.consumes, 'b.events'],
        handlers: [...appA.handlers, worker('b.events')],
      },
      table,
    );
    expect(both).toEqual([
      'the app consumes queues the registry gives to different apps (app-a: a.events, a.commands; app-b: b.events)',
    ]);
    const part = queueWiringProblems(
      { queues: appA.queues, consumes: ['a.events'], handlers: [worker('a.events')] },
      table,
    );
    expect(part).toEqual([
      'the registry makes app-a the consumer of "a.commands", but the app does not consume it: its jobs would wait forever',
    ]);
  });

  it('finds the real registry whole: each consumer app, with one worker per queue, is accepted', () => {
    const consumers = new Set(QUEUE_NAMES.map((q) => QUEUES[q].consumer));
    expect(consumers.size).toBeGreaterThan(1);
    for (const app of consumers) {
      const own = QUEUE_NAMES.filter((q) => QUEUES[q].consumer === app);
      const wiring = { queues: own, consumes: own, handlers: own.map((q) => worker(q)) };
      expect({ app, problems: queueWiringProblems(wiring) }).toEqual({ app, problems: [] });
    }
  });
});

// The check runs against the real registry: these stand for system-erp's two workers.
@Processor('erp.commitments')
@Injectable()
class CommitJob extends ReliableWorker {
  constructor(support: WorkerSupport) {
    super('erp.commitments', support);
  }
  protected handle(_job: Job): Promise<unknown> {
    return Promise.resolve();
  }
}

@Processor('erp.postings')
@Injectable()
class PostJob extends ReliableWorker {
  constructor(support: WorkerSupport) {
    super('erp.postings', support);
  }
  protected handle(_job: Job): Promise<unknown> {
    return Promise.resolve();
  }
}

const ERP_QUEUES: QueueName[] = ['erp.commitments', 'erp.postings', 'finance.posting-results'];

/** An app context with the check, the given processors and a registrar that only counts its calls. */
async function boot(consumes: QueueName[], processors: Type<ReliableWorker>[]) {
  const registrar = { register: jest.fn() };
  @Module({
    imports: [DiscoveryModule],
    providers: [
      { provide: WorkerSupport, useValue: {} },
      { provide: BullRegistrar, useValue: registrar },
      {
        provide: QueueWiringOptions,
        useValue: Object.assign(new QueueWiringOptions(), { queues: ERP_QUEUES, consumes }),
      },
      QueueHandlerCheck,
      ...processors,
    ],
  })
  class AppModule {}
  const app = await Test.createTestingModule({ imports: [AppModule] }).compile();
  return { app, registrar };
}

describe('QueueHandlerCheck', () => {
  it('finds the @Processor classes of the app and starts the workers when they match its queues', async () => {
    const { app, registrar } = await boot(['erp.commitments', 'erp.postings'], [CommitJob, PostJob]);
    expect(app.get(QueueHandlerCheck).handlers()).toEqual([
      { name: 'CommitJob', queue: 'erp.commitments', workerQueue: 'erp.commitments' },
      { name: 'PostJob', queue: 'erp.postings', workerQueue: 'erp.postings' },
    ]);
    await app.init();
    expect(registrar.register).toHaveBeenCalledTimes(1);
    await app.close();
  });

  it('refuses to start, before any worker is registered, when a consumed queue of the app has no handler', async () => {
    const { app, registrar } = await boot(['erp.commitments', 'erp.postings'], [CommitJob]);
    const init = app.init();
    await expect(init).rejects.toThrow(QueueWiringError);
    await expect(init).rejects.toThrow(/consumes "erp\.postings" but no provider handles it/);
    expect(registrar.register).not.toHaveBeenCalled();
    await app.close();
  });

  it('refuses to start when a handler takes a queue the app does not consume', async () => {
    const { app, registrar } = await boot([], [CommitJob]);
    await expect(app.init()).rejects.toThrow(
      /CommitJob handles "erp\.commitments", which the app does not list in MessagingModule\.forRoot\(\{ consumes \}\)/,
    );
    expect(registrar.register).not.toHaveBeenCalled();
    await app.close();
  });
});
