import { Logger } from '@nestjs/common';
import type { Notification, Pool, PoolClient } from 'pg';
import { guardPool } from './pool-errors';

export interface PgListenerHandlers {
  /** A NOTIFY on the channel arrived. */
  onNotify(payload: string | undefined): void;
  /**
   * The subscription is (again) in place. Notifications sent while it was not are lost, so a caller that
   * must not miss a change catches up here (re-reads, invalidates a cache).
   */
  onSubscribed?(): void;
}

export interface PgListenerOptions {
  /** First delay before subscribing again after a loss; doubles up to `maxRetryMs`. */
  retryMs?: number;
  maxRetryMs?: number;
  /** How often the held connection is checked with a query (a failover may leave it silently dead). */
  checkMs?: number;
}

const CHANNEL = /^[a-z_][a-z0-9_]*$/;

/**
 * A LISTEN subscription on one pooled connection that outlives the connection: when PostgreSQL restarts,
 * fails over or terminates the backend, the connection is released once, and LISTEN is issued again on a
 * new one (with backoff) until it succeeds; `onSubscribed` then lets the owner catch up.
 */
export class PgListener {
  private readonly log: Logger;
  private held?: { client: PoolClient; release(): void };
  private retryTimer?: NodeJS.Timeout;
  private delay: number;
  private stopped = false;
  private lost = false;
  private readonly retryMs: number;
  private readonly maxRetryMs: number;
  private readonly checkMs: number;

  constructor(
    private readonly pool: Pool,
    private readonly channel: string,
    private readonly handlers: PgListenerHandlers,
    options: PgListenerOptions = {},
  ) {
    if (!CHANNEL.test(channel)) throw new Error(`Unusual LISTEN channel name "${channel}"`);
    guardPool(pool, 'Db');
    this.log = new Logger(`PgListener(${channel})`);
    this.retryMs = options.retryMs ?? 250;
    this.maxRetryMs = options.maxRetryMs ?? 2_000;
    this.checkMs = options.checkMs ?? 15_000;
    this.delay = this.retryMs;
  }

  /** True while LISTEN is in place on a live connection. */
  get listening(): boolean {
    return this.held !== undefined;
  }

  /** Subscribes; when that fails, keeps trying in the background. Resolves after the first attempt. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.subscribe();
  }

  /** Before the pool closes: a held connection would keep it from ending. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    const held = this.held;
    this.held = undefined;
    if (held) {
      await held.client.query(`UNLISTEN ${this.channel}`).catch(() => undefined);
      held.release();
    }
  }

  private async subscribe(): Promise<void> {
    this.retryTimer = undefined;
    if (this.stopped) return;
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      this.retry(err);
      return;
    }
    let released = false;
    let check: NodeJS.Timeout | undefined = undefined;
    const release = (err?: Error) => {
      if (released) return false;
      released = true;
      clearInterval(check);
      client.removeListener('notification', onNotification);
      client.removeListener('error', drop);
      client.removeListener('end', drop);
      if (this.held?.client === client) this.held = undefined;
      // Released with an error, the pool closes the connection instead of handing it out again.
      client.release(err);
      return true;
    };
    // pg may emit 'error' twice for one loss (the server's FATAL message, then the socket's end): the client
    // is released once. The pool's guard keeps a listener on it for whatever comes after.
    const drop = (err?: unknown) => {
      if (release(err instanceof Error ? err : new Error('LISTEN connection lost'))) this.retry(err);
    };
    const onNotification = (msg: Notification) => {
      if (msg.channel === this.channel) this.handlers.onNotify(msg.payload);
    };
    client.on('error', drop);
    client.on('end', drop);
    client.on('notification', onNotification);
    try {
      await client.query(`LISTEN ${this.channel}`);
    } catch (err) {
      drop(err);
      return;
    }
    if (released) return;
    if (this.stopped) {
      release();
      return;
    }
    this.held = { client, release: () => void release() };
    this.delay = this.retryMs;
    if (this.lost) this.log.log(`listening on ${this.channel} again`);
    this.lost = false;
    check = setInterval(() => {
      // A connection that a failover left half-open answers nothing: a bounded query finds out.
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('LISTEN connection does not answer')), 5_000);
      });
      void Promise.race([client.query('SELECT 1'), timeout])
        .catch((err: unknown) => drop(err))
        .finally(() => clearTimeout(timer));
    }, this.checkMs);
    check.unref();
    this.handlers.onSubscribed?.();
  }

  private retry(err?: unknown): void {
    if (this.stopped || this.retryTimer) return;
    if (!this.lost) {
      this.lost = true;
      const reason = err instanceof Error ? err.message : 'connection ended';
      this.log.warn(`not listening on ${this.channel} (${reason}); subscribing again`);
    }
    this.retryTimer = setTimeout(() => void this.subscribe(), this.delay);
    this.retryTimer.unref();
    this.delay = Math.min(this.delay * 2, this.maxRetryMs);
  }
}
