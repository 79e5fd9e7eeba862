import { Injectable, Logger } from '@nestjs/common';
import { ProblemError } from '@stockbridge/app-platform';
import {
  AuditLog,
  type DeadLetter,
  DeadLetterConflict,
  type DeadLetterFilter,
  DeadLetterNotFound,
  DeadLetters,
  errorMessage,
  isQueueName,
  QueueRegistry,
} from '@stockbridge/messaging';
import type { Sql } from '@stockbridge/persistence';
import { queueReachable, queueUnavailable } from '../infra/queue-reachability';

export type DeadLetterAction = 'dead-letter.replay' | 'dead-letter.discard';

/** A PostgreSQL error (pg's DatabaseError carries a SQLSTATE code and a severity); anything else came from Redis. */
function isDatabaseError(err: unknown): boolean {
  return (
    typeof err === 'object' &&
    err !== null &&
    typeof (err as { code?: unknown }).code === 'string' &&
    'severity' in err
  );
}

/**
 * Replays and discards dead letters on an operator's behalf (docs/messaging.md#dead-letters), each with its audit entry in
 * the same transaction as the letter's new state: the log never claims an action that did not happen.
 */
@Injectable()
export class DeadLetterOperations {
  private readonly log = new Logger(DeadLetterOperations.name);

  constructor(
    private readonly deadLetters: DeadLetters,
    private readonly queues: QueueRegistry,
    private readonly audit: AuditLog,
  ) {}

  async get(id: string): Promise<DeadLetter> {
    const letter = await this.deadLetters.get(id);
    if (!letter) throw new DeadLetterNotFound(`No dead letter ${id}.`);
    return letter;
  }

  /** Puts the letter's job back on its queue under a new job id; the letter stays open if Redis refuses it. */
  async replay(id: string, actor: string): Promise<DeadLetter> {
    const letter = await this.get(id);
    if (letter.status !== 'open')
      throw new DeadLetterConflict(
        `Dead letter ${id} was already ${letter.status} by ${letter.resolvedBy ?? 'someone'}.`,
      );
    if (
      isQueueName(letter.queue) &&
      this.queues.has(letter.queue) &&
      !(await queueReachable(this.queues.get(letter.queue)))
    ) {
      throw queueUnavailable(letter.queue);
    }
    try {
      return await this.deadLetters.replay(id, actor, this.queues, (sql, done) =>
        this.record(sql, actor, 'dead-letter.replay', done),
      );
    } catch (err) {
      if (err instanceof DeadLetterNotFound || err instanceof DeadLetterConflict || isDatabaseError(err))
        throw err;
      throw queueUnavailable(letter.queue, `Redis refused the job: ${errorMessage(err)}`);
    }
  }

  /** Replays every open letter matching the filter, oldest first; one letter's failure does not stop the rest. */
  async replayMatching(
    filter: Pick<DeadLetterFilter, 'queue' | 'errorKind' | 'minAgeSeconds' | 'maxAgeSeconds'>,
    limit: number,
    actor: string,
  ): Promise<{ replayed: string[]; failed: { id: string; detail: string }[] }> {
    const ids = await this.deadLetters.ids({ ...filter, limit });
    const replayed: string[] = [];
    const failed: { id: string; detail: string }[] = [];
    for (const id of ids) {
      try {
        await this.replay(id, actor);
        replayed.push(id);
      } catch (err) {
        if (
          err instanceof ProblemError ||
          err instanceof DeadLetterNotFound ||
          err instanceof DeadLetterConflict
        ) {
          failed.push({ id, detail: err.message });
        } else {
          this.log.error({ msg: `replay of dead letter ${id} failed`, err });
          failed.push({ id, detail: 'Unexpected error; it has been logged.' });
        }
      }
    }
    return { replayed, failed };
  }

  async discard(id: string, actor: string, note: string | undefined): Promise<DeadLetter> {
    return this.deadLetters.discard(id, actor, (sql, done) =>
      this.record(sql, actor, 'dead-letter.discard', done, note),
    );
  }

  private record(
    sql: Sql,
    actor: string,
    action: DeadLetterAction,
    letter: DeadLetter,
    note?: string,
  ): Promise<void> {
    return this.audit.write(sql, {
      actor,
      action,
      targetType: 'dead-letter',
      targetId: letter.id,
      details: {
        queue: letter.queue,
        jobId: letter.jobId,
        eventId: letter.eventId,
        errorKind: letter.errorKind,
        ...(letter.replayJobId ? { replayJobId: letter.replayJobId } : {}),
        ...(note !== undefined ? { note } : {}),
      },
    });
  }
}
