import { problem, type Problem, ProblemMapper } from '@stockbridge/app-platform';
import { DeadLetterConflict, DeadLetterNotFound, QueueUnavailable } from '@stockbridge/messaging';

/** The dead-letter store's refusals as problems: unknown 404, already resolved 409, Redis not taking the job 503. */
export class DeadLetterProblemMapper extends ProblemMapper {
  map(error: unknown): Problem | undefined {
    if (error instanceof DeadLetterNotFound) return problem(404, 'dead-letter-not-found', error.message);
    if (error instanceof DeadLetterConflict) return problem(409, 'dead-letter-not-open', error.message);
    if (error instanceof QueueUnavailable)
      return problem(503, 'queue-unavailable', `${error.message} The letter stays open; try again.`);
    return undefined;
  }
}
