import { problem, type Problem, ProblemMapper } from '@stockbridge/http';
import { OrderError } from './allocation.service';

/** The order workflow's refusals as problems. */
export class OrderProblemMapper extends ProblemMapper {
  map(error: unknown): Problem | undefined {
    if (error instanceof OrderError) return problem(error.status, error.code, error.message);
    return undefined;
  }
}
