import { Processor } from '@nestjs/bullmq';
import { Injectable, Module } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { OperationsModule } from '@stockbridge/app-platform';
import { DatabaseModule } from '@stockbridge/persistence';
import { type Job, Queue } from 'bullmq';
import { createTestEnvironment, type TestEnvironment } from '../../../test/support/environment';
import { MessagingModule } from './messaging.module';
import { WorkerSupport } from './messaging-metrics';
import { QueueWiringError } from './queue-wiring';
import { jobOptions, workerOptions } from './queues';
import { redisOptionsFromUrl } from './redis-options';
import { ReliableWorker } from './reliable-worker';

const handled: string[] = [];

@Processor('reconciliation.runs', workerOptions('reconciliation.runs'))
@Injectable()
class RunJob extends ReliableWorker<{ runId: string }> {
  constructor(support: WorkerSupport) {
    super('reconciliation.runs', support);
  }
  protected handle(job: Job<{ runId: string }>): Promise<unknown> {
    handled.push(job.data.runId);
    return Promise.resolve();
  }
}

/**
 * The startup check with the real MessagingModule, PostgreSQL and Redis: an app whose consumed queue has its
 * worker starts it and takes jobs; one without refuses to start and takes none.
 */
describe('MessagingModule: every consumed queue has its handler', () => {
  let env: TestEnvironment;
  let queue: Queue;

  beforeAll(async () => {
    env = await createTestEnvironment('queue_wiring');
    queue = new Queue('reconciliation.runs', {
      connection: redisOptionsFromUrl(env.redisUrl),
      prefix: `${env.redisPrefix}q`,
      defaultJobOptions: jobOptions('reconciliation.runs'),
    });
  });

  afterAll(async () => {
    await queue?.close();
    await env?.teardown();
  });

  async function app(processors: (typeof RunJob)[]): Promise<TestingModule> {
    @Module({
      imports: [
        OperationsModule.forRoot('queue-wiring-test'),
        DatabaseModule.forRoot({
          databaseUrl: env.databaseUrl,
          poolSize: 2,
          applicationName: 'queue-wiring-test',
        }),
        MessagingModule.forRoot({
          redisUrl: env.redisUrl,
          prefix: env.redisPrefix,
          queues: ['reconciliation.runs'],
          consumes: ['reconciliation.runs'],
        }),
      ],
      providers: processors,
    })
    class AppModule {}
    return Test.createTestingModule({ imports: [AppModule] }).compile();
  }

  async function waitFor(check: () => Promise<boolean>, ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      if (await check()) return true;
      await new Promise((r) => setTimeout(r, 50));
    }
    return false;
  }

  it('refuses to start an app that consumes a queue without a handler, naming the queue, and takes no job', async () => {
    const broken = await app([]);
    await queue.add('reconciliation.run', { runId: 'r-unhandled' }, { jobId: 'r-unhandled' });
    const init = broken.init();
    await expect(init).rejects.toThrow(QueueWiringError);
    await expect(init).rejects.toThrow(
      /consumes "reconciliation\.runs" but no provider handles it \(a ReliableWorker decorated with @Processor\("reconciliation\.runs"\)\)/,
    );
    await broken.close();
    expect(await queue.getJobCounts('waiting', 'active', 'completed')).toEqual({
      waiting: 1,
      active: 0,
      completed: 0,
    });
    await queue.drain();
  });

  it('starts the worker of an app whose consumed queue has its handler, and the worker takes jobs', async () => {
    const ok = await app([RunJob]);
    await ok.init();
    try {
      await queue.add('reconciliation.run', { runId: 'r-1' }, { jobId: 'r-1' });
      expect(await waitFor(() => Promise.resolve(handled.includes('r-1')), 10_000)).toBe(true);
    } finally {
      await ok.close();
    }
  });
});
