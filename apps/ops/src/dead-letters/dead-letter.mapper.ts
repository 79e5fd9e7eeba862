import type { DeadLetter } from '@stockbridge/messaging';
import type { DeadLetterView } from './dead-letter.dto';

export function toDeadLetterView(l: DeadLetter): DeadLetterView {
  return {
    id: l.id,
    queue: l.queue,
    jobId: l.jobId,
    jobName: l.jobName,
    eventId: l.eventId,
    eventType: l.eventType,
    correlationId: l.correlationId,
    payload: l.payload,
    errorKind: l.errorKind,
    reason: l.reason,
    details: l.details,
    errors: l.errors.map((e) => ({ attempt: e.attempt, message: e.message })),
    attemptsMade: l.attemptsMade,
    status: l.status,
    failedAt: l.failedAt.toISOString(),
    resolvedAt: l.resolvedAt ? l.resolvedAt.toISOString() : null,
    resolvedBy: l.resolvedBy,
    replayJobId: l.replayJobId,
  };
}
