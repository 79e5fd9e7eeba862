import { PermanentError, WaitError } from '@stockbridge/messaging';
import { BackendGuard, BackendUnavailableError } from './backend-guard';
import { BackendHttpError } from './backend-http';

const guard = (failuresToOpen = 3) =>
  new BackendGuard('erp', { timeoutMs: 200, retries: 1, failuresToOpen, halfOpenAfterMs: 60_000 });

describe('BackendGuard', () => {
  it('turns a 4xx into a permanent error without tripping the breaker', async () => {
    const g = guard(1);
    await expect(
      g.call(async () => Promise.reject(new BackendHttpError('erp', 422, { error: 'UNKNOWN_ITEM' }, null))),
    ).rejects.toBeInstanceOf(PermanentError);
    expect(g.state).toBe('closed');
  });

  it('pauses on refused credentials (401) instead of dead-lettering, without tripping the breaker', async () => {
    const g = new BackendGuard('erp', {
      timeoutMs: 200,
      retries: 1,
      failuresToOpen: 1,
      halfOpenAfterMs: 60_000,
      credentialsRetryMs: 7_000,
    });
    const err = await g
      .call(async () => Promise.reject(new BackendHttpError('erp', 401, { error: 'UNAUTHORIZED' }, null)))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WaitError);
    expect((err as WaitError).waitMs).toBe(7_000);
    expect(g.state).toBe('closed');
  });

  it('turns a 429 into a wait of Retry-After', async () => {
    const err = await guard()
      .call(async () => Promise.reject(new BackendHttpError('erp', 429, {}, 30_000)))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WaitError);
    expect((err as WaitError).waitMs).toBe(30_000);
  });

  it('retries a transient failure and succeeds', async () => {
    let calls = 0;
    const out = await guard().call(async () => {
      calls++;
      if (calls === 1) throw new BackendHttpError('erp', 503, {}, null);
      return 'ok';
    });
    expect(out).toBe('ok');
    expect(calls).toBe(2);
  });

  it('opens after consecutive transient failures, then answers with a wait instead of calling', async () => {
    const g = guard(2);
    let calls = 0;
    const failing = async () => {
      calls++;
      throw new BackendHttpError('erp', 500, {}, null);
    };
    const first = await g.call(failing).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(WaitError); // the second failure (retry) opened the circuit
    expect(g.state).toBe('open');
    const before = calls;
    expect(await g.call(failing).catch((e: unknown) => e)).toBeInstanceOf(WaitError);
    expect(calls).toBe(before);
  });

  it('times a hanging call out as a transient failure', async () => {
    const err = await guard(10)
      .call(
        (signal) =>
          new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')))),
      )
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendUnavailableError);
  });
});
