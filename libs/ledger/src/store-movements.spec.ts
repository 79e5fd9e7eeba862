import { freeUnits, returnDelta, saleDelta, type StoreLevelState, voidDelta } from './store-movements';

const level = (over: Partial<StoreLevelState> = {}): StoreLevelState => ({
  onHand: 10,
  reserved: 0,
  allocated: 0,
  damaged: 0,
  qualityControl: 0,
  oversold: 0,
  ...over,
});

describe('store movements', () => {
  it('counts as free what nothing holds, never below 0', () => {
    expect(freeUnits(level({ reserved: 2, allocated: 3, damaged: 1, qualityControl: 1 }))).toBe(3);
    expect(freeUnits(level({ onHand: 2, reserved: 2 }))).toBe(0);
  });

  it('sells what is free from on hand and the rest as oversold, line after line', () => {
    const state = level({ onHand: 5, reserved: 2 });
    expect(saleDelta(state, 2)).toEqual({ onHand: -2, oversold: 0 });
    expect(saleDelta(state, 3)).toEqual({ onHand: -1, oversold: 2 });
    expect(saleDelta(state, 1)).toEqual({ onHand: 0, oversold: 1 });
    expect(state).toMatchObject({ onHand: 2, reserved: 2, oversold: 3 });
  });

  it('puts returned units on hand, oversold untouched', () => {
    const state = level({ onHand: 0, oversold: 2 });
    expect(returnDelta(state, 3)).toEqual({ onHand: 3, oversold: 0 });
    expect(state).toMatchObject({ onHand: 3, oversold: 2 });
  });

  it('undoes a sale exactly, its oversold part first, and less off oversold when a count settled it', () => {
    const state = level({ onHand: 0, oversold: 3 });
    expect(voidDelta(state, { onHand: -2, oversold: 3 })).toEqual({ onHand: 2, oversold: -3 });
    expect(state).toMatchObject({ onHand: 2, oversold: 0 });
    const counted = level({ onHand: 4, oversold: 1 });
    expect(voidDelta(counted, { onHand: -2, oversold: 3 })).toEqual({ onHand: 4, oversold: -1 });
  });

  it('takes a voided return out again as a sale would', () => {
    const state = level({ onHand: 3, reserved: 2 });
    expect(voidDelta(state, { onHand: 4, oversold: 0 })).toEqual({ onHand: -1, oversold: 3 });
  });
});
