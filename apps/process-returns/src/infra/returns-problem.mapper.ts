import { problem, type Problem, ProblemMapper } from '@stockbridge/app-platform';
import { LedgerError, ledgerErrorStatus } from '@stockbridge/ledger';
import { ReturnError, returnErrorStatus } from '../returns/return.error';

/** The returns workflow's refusals, and the ledger's (a bucket that would go negative), as problems. */
export class ReturnsProblemMapper extends ProblemMapper {
  map(error: unknown): Problem | undefined {
    if (error instanceof ReturnError)
      return problem(returnErrorStatus(error.code), error.code, error.message, error.details);
    if (error instanceof LedgerError)
      return problem(ledgerErrorStatus(error.code), error.code, error.message, error.details);
    return undefined;
  }
}
