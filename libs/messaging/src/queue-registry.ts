import type { EventEnvelope, EventType } from '@stockbridge/canonical';
import { Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { type QueueName, ROUTES } from './queues';

/** The BullMQ queues this app produces to or administers, by name. */
export class QueueRegistry {
  private readonly byName = new Map<string, Queue>();

  private readonly log = new Logger(QueueRegistry.name);
  private lastError = 0;

  constructor(queues: Queue[]) {
    for (const q of queues) {
      this.byName.set(q.name, q);
      // Without a listener BullMQ prints every connection error; Redis outages are expected and healed.
      q.on('error', (err) => this.connectionError(q.name, err));
    }
  }

  private connectionError(queue: string, err: Error): void {
    const now = Date.now();
    if (now - this.lastError < 10_000) return;
    this.lastError = now;
    this.log.warn(`Redis connection of queue ${queue}: ${err.message}`);
  }

  get(name: QueueName): Queue {
    const q = this.byName.get(name);
    if (!q)
      throw new Error(`Queue "${name}" is not registered in this app (MessagingModule.forRoot({ queues }))`);
    return q;
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  all(): Queue[] {
    return [...this.byName.values()];
  }

  /**
   * Adds each event to every queue its type is routed to, with the event id as job id: a second add of
   * the same event while the first job is retained is a no-op, and the consumers' inbox covers the rest.
   */
  async publish(events: EventEnvelope[]): Promise<void> {
    const perQueue = new Map<QueueName, EventEnvelope[]>();
    for (const e of events) {
      const routes = ROUTES[e.type as EventType] as readonly QueueName[] | undefined;
      if (!routes) throw new Error(`No route for event type "${e.type}"`);
      for (const q of routes) perQueue.set(q, [...(perQueue.get(q) ?? []), e]);
    }
    await Promise.all(
      [...perQueue].map(([name, list]) =>
        this.get(name).addBulk(list.map((e) => ({ name: e.type, data: e, opts: { jobId: e.id } }))),
      ),
    );
  }

  /** Adds one job of a system app's own intake queue (native payloads), deduplicated by `jobId`. */
  async enqueue(name: QueueName, jobName: string, data: unknown, jobId: string): Promise<void> {
    await this.get(name).add(jobName, data, { jobId });
  }
}
