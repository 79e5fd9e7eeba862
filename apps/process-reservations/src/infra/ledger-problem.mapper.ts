import type { Shortage } from '@stockbridge/canonical';
import { problem, type Problem, ProblemMapper } from '@stockbridge/app-platform';
import { LedgerError, ledgerErrorStatus } from '@stockbridge/ledger';

/** The ledger's refusals as problems (docs/problems.md): its errors, thrown, and a hold's `short` outcome. */
export class LedgerProblemMapper extends ProblemMapper {
  map(error: unknown): Problem | undefined {
    if (!(error instanceof LedgerError)) return undefined;
    return problem(ledgerErrorStatus(error.code), error.code, error.message, error.details);
  }
}

/**
 * The `short` outcome of creating a reservation or changing its lines: 409 `insufficient-stock` with the
 * shortages, nothing held. Built from the outcome alone, so that a replayed outcome gives the same document.
 */
export function shortageProblem(shortages: Shortage[]): Problem {
  return problem(
    409,
    'insufficient-stock',
    `Not enough stock for ${shortages.length} SKU${shortages.length === 1 ? '' : 's'}; nothing was held.`,
    { shortages },
  );
}
