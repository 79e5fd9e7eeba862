import { OrderError } from '../orders/order.error';
import { OrderProblemMapper } from './order-problem.mapper';

describe('OrderProblemMapper', () => {
  const mapper = new OrderProblemMapper();

  it.each([
    ['order-not-found', 404],
    ['order-not-cancellable', 409],
    ['unmapped-status', 422],
  ] as const)('answers %s with %i', (code, status) => {
    expect(mapper.map(new OrderError(code, 'why'))).toEqual({
      type: `https://stockbridge.dev/problems/${code}`,
      title: expect.any(String),
      status,
      detail: 'why',
    });
  });

  it('carries the details as extension members', () => {
    expect(mapper.map(new OrderError('order-not-found', 'why', { orderId: 'x' }))).toMatchObject({
      orderId: 'x',
    });
  });

  it('leaves other errors to the generic rules', () => {
    expect(mapper.map(new Error('x'))).toBeUndefined();
  });
});
