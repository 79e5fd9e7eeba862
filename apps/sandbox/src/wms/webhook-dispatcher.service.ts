import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleDestroy,
} from '@nestjs/common';
import { ProblemError } from '@stockbridge/app-platform';
import { Agent, request } from 'undici';
import { SandboxDb } from '../infra/sandbox-db';
import { retryDelayMs } from './retry-delay';
import { webhookHeaders } from './webhook-signature';

const MAX_IN_FLIGHT = 16;
const SEND_TIMEOUT_MS = 5_000;
const POLL_MS = 500;
/** A claimed event belongs to this instance for so long; longer than a send can take. */
const LEASE_SECONDS = 30;

interface Subscription {
  url: string;
  secret: string;
}

interface ClaimedEvent {
  seq: string;
  event_id: string;
  raw: string;
  attempts: number;
}

interface SendResult {
  status: number | null;
  error: string | null;
  aborted: boolean;
}

/**
 * Delivers WMS events to the subscription URL: oldest first, at most 16 in flight, retried with
 * exponential backoff until a 2xx, forever. Events are claimed with a lease (FOR UPDATE SKIP LOCKED), so
 * two sandbox instances never send the same attempt twice and a crashed instance's claims run out.
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, OnModuleDestroy, OnApplicationShutdown {
  private readonly log = new Logger(WebhookDispatcher.name);
  private readonly agent = new Agent({ keepAliveTimeout: 4_000, connections: MAX_IN_FLIGHT });
  private readonly shutdown = new AbortController();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private poller?: NodeJS.Timeout;
  private pumping: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private stopping?: Promise<void>;

  constructor(private readonly db: SandboxDb) {}

  onApplicationBootstrap(): void {
    this.poller = setInterval(() => this.trigger(), POLL_MS);
    this.poller.unref();
    this.trigger();
  }

  /** Looks for due events now (an event was recorded, a slot came free, a retry is due). */
  trigger(): void {
    if (this.stopped) return;
    this.again = true;
    if (this.pumping) return;
    this.pumping = (async () => {
      try {
        while (this.again && !this.stopped) {
          this.again = false;
          await this.fill();
        }
      } catch (err) {
        this.log.error({ err: (err as Error).message }, 'webhook dispatch failed; retrying on the next poll');
      } finally {
        this.pumping = null;
      }
    })();
  }

  private async fill(): Promise<void> {
    const free = MAX_IN_FLIGHT - this.inFlight.size;
    if (free <= 0) return;
    const subscription = await this.subscription();
    if (!subscription || this.stopped) return;
    const claimed = await this.db.query<ClaimedEvent>(
      `UPDATE sandbox_wms.events e SET next_attempt_at = now() + make_interval(secs => $2)
         FROM (SELECT seq FROM sandbox_wms.events
                WHERE delivered_at IS NULL AND next_attempt_at <= now()
                ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED) due
        WHERE e.seq = due.seq
      RETURNING e.seq, e.event_id, e.raw, e.attempts`,
      [free, LEASE_SECONDS],
    );
    const events = claimed.rows.sort((a, b) => Number(a.seq) - Number(b.seq));
    for (const event of events) {
      const delivery: Promise<void> = this.deliver(event, subscription)
        .catch((err: unknown) =>
          this.log.error(
            { err: (err as Error).message, eventId: event.event_id },
            'recording a webhook attempt failed',
          ),
        )
        .finally(() => {
          this.inFlight.delete(delivery);
          this.trigger();
        });
      this.inFlight.add(delivery);
    }
    if (events.length === free) this.again = true;
  }

  private async deliver(event: ClaimedEvent, subscription: Subscription): Promise<void> {
    const result = await this.send(subscription, event.event_id, event.raw);
    if (result.aborted && this.stopped) {
      // Shutting down: give the claim back without counting an attempt.
      await this.db.query(
        'UPDATE sandbox_wms.events SET next_attempt_at = now() WHERE event_id = $1 AND delivered_at IS NULL',
        [event.event_id],
      );
      return;
    }
    const ok = isSuccess(result.status);
    const delay = retryDelayMs(event.attempts + 1);
    await this.db.query(
      `WITH attempt AS (INSERT INTO sandbox_wms.deliveries (event_id, status, error) VALUES ($1, $2, $3))
       UPDATE sandbox_wms.events
          SET attempts = attempts + 1,
              delivered_at = CASE WHEN $4 THEN coalesce(delivered_at, now()) ELSE delivered_at END,
              last_error = CASE WHEN $4 THEN NULL ELSE $3 END,
              next_attempt_at = CASE WHEN $4 THEN next_attempt_at ELSE clock_timestamp() + make_interval(secs => $5::float8 / 1000) END
        WHERE event_id = $1`,
      [event.event_id, result.status, result.error, ok, delay],
    );
    if (!ok) this.retryAfter(delay);
  }

  /** Sends the stored body of an event again, `times` times, each freshly signed; the receiver's statuses (0 = no answer). */
  async redeliver(eventId: string, times: number, concurrent: boolean): Promise<number[]> {
    const found = await this.db.query<{ raw: string }>(
      'SELECT raw FROM sandbox_wms.events WHERE event_id = $1',
      [eventId],
    );
    if (!found.rows[0]) throw ProblemError.of(404, 'event-not-found', `WMS event ${eventId} does not exist.`);
    const subscription = await this.subscription();
    if (!subscription)
      throw ProblemError.of(
        409,
        'no-subscription',
        'The WMS has no webhook subscription; PUT /admin/wms/subscription first.',
      );
    const raw = found.rows[0].raw;
    const once = async (): Promise<number> => {
      const result = await this.send(subscription, eventId, raw);
      const ok = isSuccess(result.status);
      // A redelivery is a delivery attempt like any other: counted, and its outcome is the last one.
      await this.db.query(
        `WITH attempt AS (INSERT INTO sandbox_wms.deliveries (event_id, status, error, redelivery) VALUES ($1, $2, $3, true))
         UPDATE sandbox_wms.events
            SET attempts = attempts + 1,
                delivered_at = CASE WHEN $4 THEN coalesce(delivered_at, now()) ELSE delivered_at END,
                last_error = CASE WHEN $4 THEN NULL ELSE $3 END
          WHERE event_id = $1`,
        [eventId, result.status, result.error, ok],
      );
      return result.status ?? 0;
    };
    if (concurrent) return Promise.all(Array.from({ length: times }, once));
    const statuses: number[] = [];
    for (let i = 0; i < times; i++) statuses.push(await once());
    return statuses;
  }

  private async send(subscription: Subscription, eventId: string, raw: string): Promise<SendResult> {
    try {
      const res = await request(subscription.url, {
        method: 'POST',
        dispatcher: this.agent,
        headers: webhookHeaders(subscription.secret, eventId, raw),
        body: raw,
        headersTimeout: SEND_TIMEOUT_MS,
        bodyTimeout: SEND_TIMEOUT_MS,
        signal: AbortSignal.any([this.shutdown.signal, AbortSignal.timeout(SEND_TIMEOUT_MS)]),
      });
      await res.body.dump();
      return {
        status: res.statusCode,
        error: isSuccess(res.statusCode) ? null : `HTTP ${res.statusCode}`,
        aborted: false,
      };
    } catch (err) {
      const e = err as { code?: string; name?: string; message?: string };
      return {
        status: null,
        error: `${e.code ?? e.name ?? 'Error'}: ${e.message ?? ''}`.slice(0, 500),
        aborted: this.shutdown.signal.aborted,
      };
    }
  }

  private async subscription(): Promise<Subscription | undefined> {
    const res = await this.db.query<Subscription>(
      'SELECT url, secret FROM sandbox_wms.subscription WHERE id = 1',
    );
    return res.rows[0];
  }

  private retryAfter(ms: number): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.retryTimers.delete(timer);
      this.trigger();
    }, ms + 10);
    timer.unref();
    this.retryTimers.add(timer);
  }

  /** Stops before the HTTP server and the pool close, so that a send in flight can still give its claim back. */
  onModuleDestroy(): Promise<void> {
    return this.stop();
  }

  onApplicationShutdown(): Promise<void> {
    return this.stop();
  }

  private stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.stopped = true;
      clearInterval(this.poller);
      for (const timer of this.retryTimers) clearTimeout(timer);
      this.retryTimers.clear();
      this.shutdown.abort();
      await this.pumping;
      await Promise.allSettled([...this.inFlight]);
      await this.agent.close();
    })();
    return this.stopping;
  }
}

function isSuccess(status: number | null): boolean {
  return status !== null && status >= 200 && status < 300;
}
