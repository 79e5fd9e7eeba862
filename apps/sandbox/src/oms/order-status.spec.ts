import { statusesLeadingTo } from './order-status';

describe('OMS order statuses', () => {
  it('cancels an order that has not shipped completely', () => {
    expect(statusesLeadingTo('CANCELLED')).toEqual(['NEW', 'IN_PROGRESS', 'PARTIALLY_SHIPPED', 'CANCELLED']);
  });

  it('returns only shipped orders', () => {
    expect(statusesLeadingTo('RETURNED')).toEqual(['SHIPPED', 'RETURNED']);
  });

  it('never goes back to NEW', () => {
    expect(statusesLeadingTo('NEW')).toEqual(['NEW']);
  });
});
