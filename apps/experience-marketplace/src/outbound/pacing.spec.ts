import { backoffMs, RateBudget, Wakeup } from './pacing';

describe('backoffMs', () => {
  it('doubles per attempt up to the cap, taking at most half off at random', () => {
    expect(backoffMs(1, 500, 15_000, () => 0)).toBe(500);
    expect(backoffMs(2, 500, 15_000, () => 0)).toBe(1_000);
    expect(backoffMs(4, 500, 15_000, () => 0)).toBe(4_000);
    expect(backoffMs(10, 500, 15_000, () => 0)).toBe(15_000);
    expect(backoffMs(3, 500, 15_000, () => 1)).toBe(1_000);
    expect(backoffMs(3, 500, 15_000, () => 0.5)).toBe(1_500);
  });
});

describe('RateBudget', () => {
  it('spaces calls 1000 / rate ms apart', async () => {
    let now = 1_000;
    const budget = new RateBudget(5, () => now);
    expect(budget.waitMs()).toBe(0);
    expect(await budget.take()).toBe(true);
    expect(budget.waitMs()).toBe(200);
    now += 150;
    expect(budget.waitMs()).toBe(50);
    now += 50;
    expect(budget.waitMs()).toBe(0);
  });

  it('holds every call while paused, and a shorter pause never shortens a longer one', () => {
    let now = 0;
    const budget = new RateBudget(5, () => now);
    budget.pause(3_000);
    budget.pause(1_000);
    expect(budget.paused()).toBe(true);
    expect(budget.waitMs()).toBe(3_000);
    now = 3_000;
    expect(budget.paused()).toBe(false);
    expect(budget.waitMs()).toBe(0);
  });

  it('gives up taking a turn when told to stop', async () => {
    const budget = new RateBudget(1);
    budget.pause(60_000);
    let stop = false;
    const taking = budget.take(() => stop);
    stop = true;
    await expect(taking).resolves.toBe(false);
  });
});

describe('Wakeup', () => {
  it('ends a wait on notify, and a notify before the wait ends the next wait at once', async () => {
    const wake = new Wakeup();
    const started = Date.now();
    const waiting = wake.wait(10_000);
    wake.notify();
    await waiting;
    wake.notify();
    await wake.wait(10_000);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('ends a wait after its timeout without a notify', async () => {
    const started = Date.now();
    await new Wakeup().wait(50);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });
});
