import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { type AddressInfo, createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { Backends } from '../support/backends';
import { waitForQueuesToDrain } from '../support/drain';
import { eventually } from '../support/http';
import { assertLedgerInvariants } from '../support/invariants';
import { TestPlatform } from '../support/platform';

const EVENTS = 1000;
const SKUS = Array.from({ length: 10 }, (_, i) => `RR-${i}`);

/** A Redis of this test's own, with append-only persistence, that the test can stop and start again. */
class OwnRedis {
  private proc?: ChildProcess;
  readonly dir = mkdtempSync(path.join(tmpdir(), 'sb-redis-'));
  constructor(readonly port: number) {}

  /** On a port the system says is free now (a fixed one may be taken by another test or service). */
  static async onFreePort(): Promise<OwnRedis> {
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    server.close();
    await once(server, 'close');
    return new OwnRedis(port);
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.proc = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--dir',
        this.dir,
        '--appendonly',
        'yes',
        '--appendfsync',
        'always',
        '--save',
        '',
        '--maxmemory-policy',
        'noeviction',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    this.proc.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const proc = this.proc;
    const probe = new Redis(this.url, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    try {
      // Up to 30 s: on a loaded machine replaying the append-only file takes a while.
      for (let i = 0; i < 600; i++) {
        if (proc.exitCode !== null)
          throw new Error(`redis-server exited (${proc.exitCode}) before answering: ${stderr.trim()}`);
        if (
          await probe.connect().then(
            () => probe.ping(),
            () => null,
          )
        )
          return;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`redis-server did not answer in 30 s: ${stderr.trim()}`);
    } finally {
      probe.disconnect();
    }
  }

  /** SHUTDOWN: Redis flushes its append-only file and exits, as in a planned restart. */
  async stop(): Promise<void> {
    if (!this.proc || this.proc.exitCode !== null) return;
    const exited = once(this.proc, 'exit');
    const c = new Redis(this.url, { maxRetriesPerRequest: 0, retryStrategy: () => null });
    await c.call('SHUTDOWN').catch(() => undefined);
    c.disconnect();
    await exited;
  }

  async remove(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

describe('Redis restarted in the middle of a flow of 1,000 WMS events (append-only persistence)', () => {
  let redis: OwnRedis;
  let platform: TestPlatform;
  let backends: Backends;

  beforeAll(async () => {
    redis = await OwnRedis.onFreePort();
    await redis.start();
    platform = await TestPlatform.start('redisrestart', { appRedisUrl: redis.url });
    await platform.seed({
      locations: [{ code: 'WH-1' }],
      skus: SKUS,
      channels: [{ code: 'web', pool: ['WH-1'] }],
      stock: SKUS.map((sku) => ({ sku, location: 'WH-1', onHand: 0 })),
    });
    backends = await Backends.start(platform);
    await backends.catalog({ skus: SKUS, locations: ['WH-1'] });
  });

  afterAll(async () => {
    await backends?.stop();
    await platform?.stop();
    await redis?.remove();
  });

  it('applies every event exactly once afterwards', async () => {
    const enter = async (from: number, to: number) => {
      for (let i = from; i < to; i += 25) {
        await Promise.all(
          Array.from({ length: Math.min(25, to - i) }, (_, k) =>
            backends.wmsOperation('receipts', {
              warehouse: 'DC-WH-1',
              itemCode: `W-${SKUS[(i + k) % SKUS.length]}`,
              qty: 1,
              uom: 'EA',
            }),
          ),
        );
      }
    };
    await enter(0, 400);
    await redis.stop();
    // Events entered while Redis is down are refused by system-wms (503) and redelivered by the WMS.
    await enter(400, 600);
    await new Promise((r) => setTimeout(r, 1000));
    await redis.start();
    await enter(600, EVENTS);

    const total = async () =>
      Number(
        (
          await platform.db.query<{ n: string }>(
            `SELECT coalesce(sum(on_hand), 0) AS n FROM stock_levels WHERE location = 'WH-1'`,
          )
        ).rows[0].n,
      );
    await eventually(total, (n) => n >= EVENTS, 120_000, 250);
    // Every job left after the restart (duplicates, retries, jobs whose lock was lost) done before judging.
    await waitForQueuesToDrain(platform, {
      queues: ['wms.inbound-events', 'inventory.stock-moved'],
      timeoutMs: 60_000,
    });
    expect(await total()).toBe(EVENTS);
    const movements = await platform.db.query<{ n: string; distinct: string }>(
      `SELECT count(*) AS n, count(DISTINCT source_event_id) AS distinct FROM stock_movements WHERE source_system = 'wms'`,
    );
    expect(Number(movements.rows[0].n)).toBe(EVENTS);
    expect(Number(movements.rows[0].distinct)).toBe(EVENTS);
    const inbox = await platform.db.query<{ n: string }>(
      `SELECT count(*) AS n FROM inbox_events WHERE consumer = 'process-reservations'`,
    );
    expect(Number(inbox.rows[0].n)).toBe(EVENTS);
    expect((await backends.deadLetters.list({})).total).toBe(0);
    await assertLedgerInvariants(platform);
    // Its own wait for the events allows 120 s; the test as a whole gets more, so that a loaded machine (the
    // whole suite on two cores) meets that wait's message rather than Jest's timeout.
  }, 240_000);
});
