import { TokenBucket } from './token-bucket';

describe('TokenBucket', () => {
  it('lets a burst of one second through, then refuses', () => {
    const bucket = new TokenBucket(5, 0);
    const taken = Array.from({ length: 7 }, () => bucket.take(0));
    expect(taken).toEqual([true, true, true, true, true, false, false]);
  });

  it('refills at the rate: 10/s gives one token every 100 ms', () => {
    const bucket = new TokenBucket(10, 0);
    for (let i = 0; i < 10; i++) bucket.take(0);
    expect(bucket.take(50)).toBe(false);
    expect(bucket.take(100)).toBe(true);
    expect(bucket.take(100)).toBe(false);
  });

  it('never holds more than one second of tokens', () => {
    const bucket = new TokenBucket(3, 0);
    const after = Array.from({ length: 5 }, () => bucket.take(60_000));
    expect(after.filter(Boolean)).toHaveLength(3);
  });

  it('ignores a clock that goes backwards', () => {
    const bucket = new TokenBucket(1, 1_000);
    expect(bucket.take(1_000)).toBe(true);
    expect(bucket.take(500)).toBe(false);
    expect(bucket.take(2_000)).toBe(true);
  });
});
