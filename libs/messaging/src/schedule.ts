import type { JobSchedulerTemplateOptions, RepeatOptions } from 'bullmq';
import type { QueueRegistry } from './queue-registry';
import type { QueueName } from './queues';

/**
 * Registers (or, with `repeat` null, removes) a recurring command on a queue through BullMQ's job scheduler:
 * every replica upserts the same scheduler id and BullMQ produces one job per tick, so the work runs once per
 * tick whatever the number of replicas.
 */
export async function scheduleCommand(
  queues: QueueRegistry,
  queue: QueueName,
  schedulerId: string,
  repeat: Omit<RepeatOptions, 'key'> | null,
  job: { name: string; data?: unknown; opts?: JobSchedulerTemplateOptions },
): Promise<void> {
  const q = queues.get(queue);
  if (repeat === null) {
    await q.removeJobScheduler(schedulerId);
    return;
  }
  await q.upsertJobScheduler(schedulerId, repeat, { name: job.name, data: job.data ?? {}, opts: job.opts });
}
