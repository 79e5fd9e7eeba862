import { LedgerError, ledgerErrorStatus } from '@stockbridge/ledger';
import { problem, type Problem, ProblemMapper } from '@stockbridge/http';

export class LedgerProblemMapper extends ProblemMapper {
  map(error: unknown): Problem | undefined {
    if (!(error instanceof LedgerError)) return undefined;
    return problem(ledgerErrorStatus(error.code), error.code, error.message, error.details);
  }
}
