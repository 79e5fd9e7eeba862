import { retryDelayMs } from './retry-delay';

describe('retryDelayMs', () => {
  it('doubles from 250 ms', () => {
    expect([1, 2, 3, 4, 5].map(retryDelayMs)).toEqual([250, 500, 1000, 2000, 4000]);
  });

  it('stays at 10 s however often the receiver fails', () => {
    expect(retryDelayMs(7)).toBe(10_000);
    expect(retryDelayMs(10_000)).toBe(10_000);
  });
});
