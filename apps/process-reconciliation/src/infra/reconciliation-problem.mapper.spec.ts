import { ReconciliationError } from '../reconciliation/reconciliation.error';
import { ReconciliationProblemMapper } from './reconciliation-problem.mapper';

describe('ReconciliationProblemMapper', () => {
  const mapper = new ReconciliationProblemMapper();

  it.each([
    ['not-found', 404],
    ['already-resolved', 409],
  ] as const)('answers %s with %i and its details as extension members', (code, status) => {
    expect(mapper.map(new ReconciliationError(code, 'why', { id: 'x' }))).toMatchObject({
      status,
      type: `https://stockbridge.dev/problems/${code}`,
      detail: 'why',
      id: 'x',
    });
  });

  it('leaves other errors to the generic rules', () => {
    expect(mapper.map(new Error('x'))).toBeUndefined();
  });
});
