import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { assertNever } from '../infra/assert-never';
import { SandboxConfig } from '../sandbox.config';
import { BACKENDS, type Backend, decideFault, type Faults, mergeFaults, NO_FAULTS } from './faults';
import type { FaultsByBackend } from './faults-env';
import { TokenBucket } from './token-bucket';

/** A fault's answer, in the backend's own error format. */
export interface FaultAnswer {
  status: number;
  body: { error: string };
  headers: Record<string, string>;
}

export interface FaultCounters {
  /** Requests answered by a fault (503, 429, 504 or 500). */
  faulted: number;
  /** Of those, the 429s. */
  throttled: number;
}

/**
 * The faults of the four backends (in memory, per instance) and their effect on one request. A faulted
 * request is answered before its handler runs, so it never has a side effect.
 */
@Injectable()
export class FaultInjector implements OnModuleDestroy {
  private faults: FaultsByBackend;
  private readonly buckets = new Map<Backend, TokenBucket>();
  private readonly counters = new Map<Backend, FaultCounters>(
    BACKENDS.map((b) => [b, { faulted: 0, throttled: 0 }]),
  );
  /** Wakes every request that hangs or waits, so that shutdown does not wait for them. */
  private readonly sleepers = new Set<() => void>();
  private closing = false;

  constructor(private readonly config: SandboxConfig) {
    this.faults = config.initialFaults();
  }

  all(): FaultsByBackend {
    return structuredClone(this.faults);
  }

  set(backend: Backend, patch: Partial<Faults>): Faults {
    const before = this.faults[backend];
    this.faults[backend] = mergeFaults(before, patch);
    if (this.faults[backend].rateLimitPerSecond !== before.rateLimitPerSecond) this.buckets.delete(backend);
    return { ...this.faults[backend] };
  }

  reset(): FaultsByBackend {
    for (const b of BACKENDS) this.faults[b] = { ...NO_FAULTS };
    this.buckets.clear();
    return this.all();
  }

  counts(backend: Backend): FaultCounters {
    return { ...this.counters.get(backend)! };
  }

  /**
   * Applies the backend's faults to one request: resolves to the fault's answer, or to undefined (after
   * the configured latency) when the request may go on to its handler.
   */
  async apply(backend: Backend, response: ServerResponse): Promise<FaultAnswer | undefined> {
    const faults = this.faults[backend];
    const decision = decideFault(faults, {
      random: Math.random,
      takeToken: () => this.bucket(backend, faults).take(performance.now()),
    });
    const counters = this.counters.get(backend)!;
    switch (decision.kind) {
      case 'proceed':
        if (decision.delayMs > 0) await this.sleep(decision.delayMs, response);
        return undefined;
      case 'outage':
        counters.faulted++;
        return { status: 503, body: { error: 'SERVICE_UNAVAILABLE' }, headers: {} };
      case 'throttle':
        counters.faulted++;
        counters.throttled++;
        return {
          status: 429,
          body: { error: 'RATE_LIMITED' },
          headers: { 'retry-after': String(decision.retryAfterSeconds) },
        };
      case 'timeout':
        counters.faulted++;
        await this.sleep(this.config.SANDBOX_TIMEOUT_HANG_MS, response);
        return { status: 504, body: { error: 'GATEWAY_TIMEOUT' }, headers: {} };
      case 'error':
        counters.faulted++;
        // Decided and counted down before any await: concurrent requests never take the same failure.
        if (decision.reason === 'fail-next') faults.failNext--;
        return { status: 500, body: { error: 'INTERNAL' }, headers: {} };
      default:
        return assertNever(decision);
    }
  }

  onModuleDestroy(): void {
    this.closing = true;
    for (const wake of this.sleepers) wake();
  }

  private bucket(backend: Backend, faults: Faults): TokenBucket {
    let bucket = this.buckets.get(backend);
    if (!bucket || bucket.ratePerSecond !== faults.rateLimitPerSecond) {
      bucket = new TokenBucket(faults.rateLimitPerSecond, performance.now());
      this.buckets.set(backend, bucket);
    }
    return bucket;
  }

  /** Waits `ms`, or less when the client disconnects or the app shuts down. */
  private sleep(ms: number, response: ServerResponse): Promise<void> {
    if (this.closing || response.destroyed) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        response.off('close', wake);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      response.once('close', wake);
      this.sleepers.add(wake);
    });
  }
}
