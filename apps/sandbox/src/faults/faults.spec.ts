import { decideFault, type Faults, mergeFaults, NO_FAULTS } from './faults';

const faults = (patch: Partial<Faults>): Faults => mergeFaults(NO_FAULTS, patch);
const draws = (random = 0.5, token = true) => ({
  random: jest.fn(() => random),
  takeToken: jest.fn(() => token),
});

describe('decideFault', () => {
  it('lets a request through without delay when nothing is set', () => {
    const d = draws();
    expect(decideFault(NO_FAULTS, d)).toEqual({ kind: 'proceed', delayMs: 0 });
    expect(d.random).not.toHaveBeenCalled();
    expect(d.takeToken).not.toHaveBeenCalled();
  });

  it('answers an outage before anything else and spends no token on it', () => {
    const d = draws(0, false);
    expect(
      decideFault(faults({ outage: true, rateLimitPerSecond: 1, errorRate: 1, latencyMs: 100 }), d),
    ).toEqual({ kind: 'outage' });
    expect(d.takeToken).not.toHaveBeenCalled();
  });

  it('throttles when the bucket is empty, with the configured Retry-After', () => {
    expect(
      decideFault(faults({ rateLimitPerSecond: 5, retryAfterSeconds: 7, errorRate: 1 }), draws(0, false)),
    ).toEqual({
      kind: 'throttle',
      retryAfterSeconds: 7,
      reason: 'rate-limit',
    });
  });

  it('throttles at random by tooManyRequestsRate before timeouts and errors', () => {
    expect(
      decideFault(faults({ tooManyRequestsRate: 0.5, timeoutRate: 1, errorRate: 1 }), draws(0.4)),
    ).toMatchObject({ kind: 'throttle', reason: 'random' });
    expect(
      decideFault(faults({ tooManyRequestsRate: 0.5, timeoutRate: 1, errorRate: 1 }), draws(0.6)),
    ).toEqual({ kind: 'timeout' });
  });

  it('fails every request with errorRate 1 and none with errorRate 0', () => {
    expect(decideFault(faults({ errorRate: 1 }), draws(0.999999))).toEqual({ kind: 'error' });
    expect(decideFault(faults({ errorRate: 0, latencyMs: 20 }), draws(0))).toEqual({
      kind: 'proceed',
      delayMs: 20,
    });
  });

  it('delays a request that passes every fault by latencyMs', () => {
    expect(
      decideFault(faults({ latencyMs: 250, errorRate: 0.1, rateLimitPerSecond: 10 }), draws(0.5, true)),
    ).toEqual({ kind: 'proceed', delayMs: 250 });
  });
});

describe('mergeFaults', () => {
  it('changes only the fields given', () => {
    const merged = mergeFaults(faults({ latencyMs: 50, outage: true }), { outage: false, errorRate: 0.2 });
    expect(merged).toEqual({ ...NO_FAULTS, latencyMs: 50, outage: false, errorRate: 0.2 });
  });

  it('ignores keys that are not faults', () => {
    expect(mergeFaults(NO_FAULTS, { nonsense: 1 } as Partial<Faults>)).toEqual(NO_FAULTS);
  });
});
