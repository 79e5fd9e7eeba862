import { DEFAULT_CHANNEL_POLICY } from '@stockbridge/canonical';
import { BufferedChannelAvailability } from './channel-availability.strategy';

const strategy = new BufferedChannelAvailability();
const at = new Date('2026-11-24T10:00:00Z');
const pool = (...figures: [string, number][]) =>
  figures.map(([location, available]) => ({ location, available, syncedAt: at }));

describe('BufferedChannelAvailability', () => {
  it('sums the pool, ignoring negative locations', () => {
    const f = strategy.figure(DEFAULT_CHANNEL_POLICY, pool(['A', 10], ['B', -3], ['C', 5]));
    expect(f.available).toBe(15);
    expect(f.locations).toEqual([
      { location: 'A', available: 10 },
      { location: 'B', available: 0 },
      { location: 'C', available: 5 },
    ]);
  });

  it('applies the percentage buffer, rounding down, then the holdback', () => {
    expect(strategy.figure({ ...DEFAULT_CHANNEL_POLICY, bufferPercent: 10 }, pool(['A', 19])).available).toBe(
      17,
    );
    expect(
      strategy.figure({ ...DEFAULT_CHANNEL_POLICY, bufferPercent: 20, holdback: 2 }, pool(['A', 10]))
        .available,
    ).toBe(6);
    expect(strategy.figure({ ...DEFAULT_CHANNEL_POLICY, holdback: 20 }, pool(['A', 10])).available).toBe(0);
  });

  it('caps the figure at the maximum exposed, and per-location figures at the channel figure', () => {
    const f = strategy.figure({ ...DEFAULT_CHANNEL_POLICY, maxExposed: 7 }, pool(['A', 10], ['B', 4]));
    expect(f.available).toBe(7);
    expect(f.locations).toEqual([
      { location: 'A', available: 7 },
      { location: 'B', available: 4 },
    ]);
  });

  it('turns stale after the staleness limit from the oldest report, showing 0 in zero mode', () => {
    const old = new Date('2026-11-24T09:00:00Z');
    const f = strategy.figure({ ...DEFAULT_CHANNEL_POLICY, stalenessSeconds: 600, staleMode: 'zero' }, [
      { location: 'A', available: 5, syncedAt: at },
      { location: 'B', available: 5, syncedAt: old },
    ]);
    expect(f.staleAt).toEqual(new Date('2026-11-24T09:10:00Z'));
    expect(f.staleAvailable).toBe(0);
    expect(f.available).toBe(10);
  });

  it('keeps the buffered figure when stale in buffered mode, and never goes stale without a limit', () => {
    expect(
      strategy.figure(
        { ...DEFAULT_CHANNEL_POLICY, stalenessSeconds: 60, staleMode: 'buffered' },
        pool(['A', 8]),
      ).staleAvailable,
    ).toBe(8);
    expect(strategy.figure(DEFAULT_CHANNEL_POLICY, pool(['A', 8])).staleAt).toBeNull();
  });
});
