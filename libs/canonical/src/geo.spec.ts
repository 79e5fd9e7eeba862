import { distanceKm } from './geo';

describe('distanceKm', () => {
  it('measures great-circle distance (New York to London ≈ 5,570 km)', () => {
    const d = distanceKm(
      { latitude: 40.7128, longitude: -74.006 },
      { latitude: 51.5074, longitude: -0.1278 },
    );
    expect(d).toBeGreaterThan(5540);
    expect(d).toBeLessThan(5600);
    expect(distanceKm({ latitude: 1, longitude: 1 }, { latitude: 1, longitude: 1 })).toBe(0);
  });
});
