import { problem, type Problem, ProblemMapper } from '@stockbridge/app-platform';
import { ReconciliationError, reconciliationErrorStatus } from '../reconciliation/reconciliation.error';

/** The reconciliation domain's refusals (no such run or exception, an exception already resolved) as problems. */
export class ReconciliationProblemMapper extends ProblemMapper {
  map(error: unknown): Problem | undefined {
    if (error instanceof ReconciliationError)
      return problem(reconciliationErrorStatus(error.code), error.code, error.message, error.details);
    return undefined;
  }
}
