import { problem, type Problem, ProblemMapper } from '@stockbridge/app-platform';
import { OrderError, orderErrorStatus } from '../orders/order.error';

/** The order workflows' refusals as problems. */
export class OrderProblemMapper extends ProblemMapper {
  map(error: unknown): Problem | undefined {
    if (error instanceof OrderError)
      return problem(orderErrorStatus(error.code), error.code, error.message, error.details);
    return undefined;
  }
}
