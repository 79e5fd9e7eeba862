import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '@stockbridge/app-platform';
import { DeadLetters, isQueueName, queueDefinition, QueueRegistry } from '@stockbridge/messaging';
import type { Queue } from 'bullmq';
import { withQueueDeadline } from '../infra/queue-reachability';
import { QueueListView, QueueView } from './queue.dto';

@ApiTags('queues')
@ApiBearerAuth()
@Controller('v1/queues')
export class QueuesController {
  constructor(
    private readonly queues: QueueRegistry,
    private readonly deadLetters: DeadLetters,
  ) {}

  @Get()
  @ApiOperation({
    operationId: 'listQueues',
    summary: 'Every queue with its job counts and open dead letters',
    description:
      "Per queue: waiting, active, delayed and failed jobs, and the open dead letters of that queue. Read-only; for the operator's dashboard.",
  })
  @ApiResponse({ status: 200, type: QueueListView })
  @ApiProblems(401, [503, "A queue's Redis does not answer"])
  async listQueues(): Promise<QueueListView> {
    const open = new Map<string, number>();
    for (const c of await this.deadLetters.countOpen()) open.set(c.queue, (open.get(c.queue) ?? 0) + c.count);
    const items = await Promise.all(this.queues.all().map((q) => this.describe(q, open.get(q.name) ?? 0)));
    return { items: items.sort((a, b) => a.name.localeCompare(b.name)) };
  }

  private async describe(queue: Queue, openDeadLetters: number): Promise<QueueView> {
    const [counts, isPaused] = await withQueueDeadline(
      queue.name,
      Promise.all([
        queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed', 'completed'),
        queue.isPaused(),
      ]),
    );
    const definition = isQueueName(queue.name) ? queueDefinition(queue.name) : undefined;
    const waiting = (counts.waiting ?? 0) + (counts.prioritized ?? 0);
    return {
      name: queue.name,
      consumer: definition?.consumer ?? 'unknown',
      carries: definition?.carries ?? 'unknown',
      isPaused,
      counts: {
        waiting,
        active: counts.active ?? 0,
        delayed: counts.delayed ?? 0,
        failed: counts.failed ?? 0,
        completed: counts.completed ?? 0,
        paused: isPaused ? waiting : 0,
      },
      openDeadLetters,
    };
  }
}
