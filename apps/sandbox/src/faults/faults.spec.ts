import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { loadConfig } from '@stockbridge/config';
import { SandboxConfig } from '../sandbox.config';
import { FaultInjector } from './fault-injector.service';
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
    expect(decideFault(faults({ errorRate: 1 }), draws(0.999999))).toEqual({
      kind: 'error',
      reason: 'random',
    });
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

describe('decideFault with failNext', () => {
  it('fails a counted request with 500 before the rate limit and random faults, spending no token or draw', () => {
    const d = draws(0, false);
    expect(
      decideFault(faults({ failNext: 2, rateLimitPerSecond: 1, tooManyRequestsRate: 1, latencyMs: 50 }), d),
    ).toEqual({ kind: 'error', reason: 'fail-next' });
    expect(d.takeToken).not.toHaveBeenCalled();
    expect(d.random).not.toHaveBeenCalled();
  });

  it('leaves an outage first: a backend that is down answers 503 and keeps its counted failures', () => {
    expect(decideFault(faults({ outage: true, failNext: 1 }), draws())).toEqual({ kind: 'outage' });
  });

  it('lets requests through once the count is used up', () => {
    expect(decideFault(faults({ failNext: 0 }), draws())).toEqual({ kind: 'proceed', delayMs: 0 });
  });
});

describe('mergeFaults', () => {
  it('changes only the fields given', () => {
    const merged = mergeFaults(faults({ latencyMs: 50, outage: true }), { outage: false, errorRate: 0.2 });
    expect(merged).toEqual({ ...NO_FAULTS, latencyMs: 50, outage: false, errorRate: 0.2 });
  });

  it('replaces the remaining failNext count instead of adding to it', () => {
    expect(mergeFaults(faults({ failNext: 3 }), { failNext: 1 }).failNext).toBe(1);
    expect(mergeFaults(faults({ failNext: 3 }), { latencyMs: 5 }).failNext).toBe(3);
  });

  it('ignores keys that are not faults', () => {
    expect(mergeFaults(NO_FAULTS, { nonsense: 1 } as Partial<Faults>)).toEqual(NO_FAULTS);
  });
});

describe('FaultInjector with failNext', () => {
  const injector = () =>
    new FaultInjector(loadConfig(SandboxConfig, { DATABASE_URL: 'postgres://u@127.0.0.1:1/db' }));
  const response = () => new ServerResponse(new IncomingMessage(new Socket()));

  it('answers exactly the next N requests of that backend 500, then lets them through', async () => {
    const faults = injector();
    faults.set('erp', { failNext: 2 });
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push((await faults.apply('erp', response()))?.status ?? 'handled');
    expect(answers).toEqual([500, 500, 'handled', 'handled']);
    expect(faults.all().erp.failNext).toBe(0);
    expect(faults.counts('erp').faulted).toBe(2);
  });

  it('counts down per backend and shows the remaining count', async () => {
    const faults = injector();
    faults.set('wms', { failNext: 3 });
    expect(await faults.apply('erp', response())).toBeUndefined();
    expect((await faults.apply('wms', response()))?.body).toEqual({ error: 'INTERNAL' });
    expect(faults.all().wms.failNext).toBe(2);
    expect(faults.reset().wms.failNext).toBe(0);
  });

  it('takes failNext from SANDBOX_FAULTS at start', async () => {
    const faults = new FaultInjector(
      loadConfig(SandboxConfig, {
        DATABASE_URL: 'postgres://u@127.0.0.1:1/db',
        SANDBOX_FAULTS: '{"oms":{"failNext":1}}',
      }),
    );
    expect((await faults.apply('oms', response()))?.status).toBe(500);
    expect(await faults.apply('oms', response())).toBeUndefined();
  });
});
