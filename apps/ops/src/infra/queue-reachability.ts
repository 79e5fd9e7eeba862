import { ProblemError } from '@stockbridge/app-platform';
import { errorMessage } from '@stockbridge/messaging';
import type { Queue } from 'bullmq';

/**
 * Whether the queue's Redis connection is up right now. The shared connection queues commands while Redis
 * is away (maxRetriesPerRequest: null) instead of failing them, so an operator's request would hang:
 * asking first lets it fail fast with 503.
 */
export async function queueReachable(queue: Queue, timeoutMs = 1_000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const client = await Promise.race([
      queue.getBackend().client,
      new Promise<null>((resolve) => {
        timer = setTimeout(() => resolve(null), timeoutMs);
      }),
    ]);
    return client !== null && client.status === 'ready';
  } finally {
    clearTimeout(timer);
  }
}

export function queueUnavailable(queue: string, detail = 'its Redis does not answer'): ProblemError {
  return ProblemError.of(
    503,
    'queue-unavailable',
    `Queue ${queue} is unavailable (${detail}); try again later.`,
  );
}

/** A queue read with a deadline: 503 instead of a request that hangs while Redis is away. */
export async function withQueueDeadline<T>(queue: string, work: Promise<T>, timeoutMs = 3_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  // The abandoned read settles once Redis is back; its outcome no longer matters.
  work.catch(() => undefined);
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(queueUnavailable(queue, `no answer within ${timeoutMs} ms`)),
          timeoutMs,
        );
      }),
    ]);
  } catch (err) {
    if (err instanceof ProblemError) throw err;
    throw queueUnavailable(queue, errorMessage(err));
  } finally {
    clearTimeout(timer);
  }
}
