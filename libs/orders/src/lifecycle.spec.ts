import { canTransition, ORDER_STATES, operationalState } from './lifecycle';

describe('order lifecycle', () => {
  it('goes forward along order to cash', () => {
    const path = [
      'pending_validation',
      'reserved',
      'allocated',
      'released',
      'shipped',
      'delivered',
      'settled',
    ] as const;
    for (let i = 1; i < path.length; i++) expect(canTransition(path[i - 1], path[i])).toBe(true);
  });

  it('never leaves cancelled, and never goes back from shipped to an open state', () => {
    for (const s of ORDER_STATES) expect(canTransition('cancelled', s)).toBe(false);
    for (const s of ['reserved', 'allocated', 'released', 'cancelled'] as const) {
      expect(canTransition('shipped', s)).toBe(false);
      expect(canTransition('partially_shipped', s)).toBe(false);
    }
  });

  it('lets a released order go back to allocated (re-sourcing after a short pick)', () => {
    expect(canTransition('released', 'allocated')).toBe(true);
  });

  it('derives the operational state from the fulfilment facts', () => {
    const base = { ordered: 4, cancelled: 0, shipped: 0, unreleased: 0, releasedOpen: 0 };
    expect(operationalState({ ...base, unreleased: 4 })).toBe('allocated');
    expect(operationalState({ ...base, releasedOpen: 4 })).toBe('released');
    expect(operationalState({ ...base, releasedOpen: 2, unreleased: 2 })).toBe('allocated');
    expect(operationalState({ ...base, shipped: 1, releasedOpen: 3 })).toBe('partially_shipped');
    expect(operationalState({ ...base, shipped: 4 })).toBe('shipped');
    expect(operationalState({ ...base, shipped: 3, cancelled: 1 })).toBe('shipped');
    expect(operationalState({ ...base, cancelled: 4 })).toBe('cancelled');
  });
});
