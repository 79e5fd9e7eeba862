import { statusesLeadingTo } from './order-status';

describe('OMS order statuses', () => {
  it('cancels an order that has not shipped completely', () => {
    expect(statusesLeadingTo('CANCELLED')).toEqual(['NEW', 'IN_PROGRESS', 'PARTIALLY_SHIPPED', 'CANCELLED']);
  });

  it('returns only shipped or delivered orders', () => {
    expect(statusesLeadingTo('RETURNED')).toEqual(['SHIPPED', 'DELIVERED', 'RETURNED']);
  });

  it('delivers only shipped orders, and never cancels a delivered one', () => {
    expect(statusesLeadingTo('DELIVERED')).toEqual(['SHIPPED', 'DELIVERED']);
    expect(statusesLeadingTo('CANCELLED')).not.toContain('DELIVERED');
  });

  it('never goes back to NEW', () => {
    expect(statusesLeadingTo('NEW')).toEqual(['NEW']);
  });
});
