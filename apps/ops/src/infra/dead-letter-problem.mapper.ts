import { problem, type Problem, ProblemMapper } from '@stockbridge/http';
import { DeadLetterConflict, DeadLetterNotFound } from '@stockbridge/messaging';

/** The dead-letter store's refusals as problems: an unknown letter is 404, one already resolved is 409. */
export class DeadLetterProblemMapper extends ProblemMapper {
  map(error: unknown): Problem | undefined {
    if (error instanceof DeadLetterNotFound) return problem(404, 'dead-letter-not-found', error.message);
    if (error instanceof DeadLetterConflict) return problem(409, 'dead-letter-not-open', error.message);
    return undefined;
  }
}
