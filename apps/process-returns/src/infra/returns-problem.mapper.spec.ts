import { LedgerError } from '@stockbridge/ledger';
import { ReturnError } from '../returns/return.error';
import { ReturnsProblemMapper } from './returns-problem.mapper';

describe('ReturnsProblemMapper', () => {
  const mapper = new ReturnsProblemMapper();

  it.each([
    ['rma-not-found', 404],
    ['over-return', 422],
    ['grade-mismatch', 422],
    ['unknown-location', 422],
    ['external-ref-reused', 409],
    ['already-graded', 409],
  ] as const)('answers %s with %i and its details as extension members', (code, status) => {
    expect(mapper.map(new ReturnError(code, 'why', { sku: 'A' }))).toMatchObject({
      status,
      type: `https://stockbridge.dev/problems/${code}`,
      detail: 'why',
      sku: 'A',
    });
  });

  it('maps a ledger refusal (a bucket that would go negative) to 409', () => {
    expect(mapper.map(new LedgerError('invariant-violation', 'no'))).toMatchObject({ status: 409 });
  });

  it('leaves other errors to the generic rules', () => {
    expect(mapper.map(new Error('x'))).toBeUndefined();
  });
});
