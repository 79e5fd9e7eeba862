import { Logger } from '@nestjs/common';
import { Client, Pool } from 'pg';
import { createTestEnvironment, type TestEnvironment } from '../../../test/support/environment';
import { Db } from './db';
import { PgListener } from './pg-listener';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Connections killed the way a PostgreSQL restart kills them (pg_terminate_backend: `57P01 terminating
 * connection due to administrator command`), on this test's own database only.
 */
describe('PostgreSQL connections lost to a restart', () => {
  let env: TestEnvironment;
  let admin: Client;
  const uncaught: unknown[] = [];
  const onUncaught = (err: unknown) => uncaught.push(err);

  const terminateAll = async () => {
    const res = await admin.query<{ n: string }>(
      `SELECT count(pg_terminate_backend(pid)) AS n FROM pg_stat_activity
       WHERE datname = current_database() AND pid <> pg_backend_pid()`,
    );
    return Number(res.rows[0].n);
  };

  beforeAll(async () => {
    env = await createTestEnvironment('connloss');
    admin = new Client({ connectionString: env.databaseUrl });
    await admin.connect();
    // The lost connections are logged as warnings; they are what this test provokes.
    Logger.overrideLogger(false);
    process.on('uncaughtException', onUncaught);
  });

  afterAll(async () => {
    process.off('uncaughtException', onUncaught);
    await admin?.end();
    await env?.teardown();
  });

  beforeEach(() => {
    uncaught.length = 0;
  });

  it('survives a connection killed while a transaction holds it between two queries, and the next transaction works', async () => {
    const db = new Db(new Pool({ connectionString: env.databaseUrl, max: 2 }));
    try {
      const failed = db
        .tx(async (sql) => {
          await sql.query('SELECT 1');
          // Checked out, no query running: pg emits 'error' on the client itself.
          await terminateAll();
          await sleep(200);
          await sql.query('SELECT 2');
        })
        .then(
          () => null,
          (err: unknown) => err,
        );
      expect(await failed).toBeInstanceOf(Error);
      await sleep(100);
      expect(uncaught).toEqual([]);
      expect(await db.tx(async (sql) => (await sql.query<{ n: number }>('SELECT 3 AS n')).rows[0].n)).toBe(3);
    } finally {
      await db.pool.end();
    }
  });

  it('retries a transaction once, on a new connection, when BEGIN finds its pooled connection dead', async () => {
    const pool = new Pool({ connectionString: env.databaseUrl, max: 2 });
    const db = new Db(pool);
    // A connection the server closed while it sat idle, before the pool noticed: every query fails.
    const dead = {
      query: () => Promise.reject(new Error('Connection terminated unexpectedly')),
      release: jest.fn(),
    };
    const realConnect = pool.connect.bind(pool);
    let handedOut = 0;
    pool.connect = (() => (handedOut++ === 0 ? Promise.resolve(dead) : realConnect())) as typeof pool.connect;
    try {
      expect(await db.tx(async (sql) => (await sql.query<{ n: number }>('SELECT 4 AS n')).rows[0].n)).toBe(4);
      expect(handedOut).toBe(2);
      // Released as broken, so the pool does not hand it out again.
      expect(dead.release).toHaveBeenCalledWith(true);
    } finally {
      await pool.end();
    }
  });

  it('does not run a transaction twice when its connection is lost after BEGIN', async () => {
    const db = new Db(new Pool({ connectionString: env.databaseUrl, max: 2 }));
    let runs = 0;
    try {
      const outcome = await db
        .tx(async (sql) => {
          runs++;
          await terminateAll();
          await sql.query('SELECT 1');
        })
        .catch((err: unknown) => err);
      expect(outcome).toBeInstanceOf(Error);
      expect(runs).toBe(1);
    } finally {
      await db.pool.end();
    }
  });

  it('listens again after its connection is killed, says so, and receives notifications sent afterwards', async () => {
    const pool = new Pool({ connectionString: env.databaseUrl, max: 3 });
    const notified: (string | undefined)[] = [];
    let subscribed = 0;
    const listener = new PgListener(
      pool,
      'sb_test_channel',
      { onNotify: (p) => notified.push(p), onSubscribed: () => subscribed++ },
      { retryMs: 50, maxRetryMs: 200 },
    );
    try {
      await listener.start();
      expect(listener.listening).toBe(true);
      await admin.query(`NOTIFY sb_test_channel, 'one'`);
      const waitFor = async (check: () => boolean) => {
        const until = Date.now() + 5_000;
        while (!check() && Date.now() < until) await sleep(20);
        return check();
      };
      expect(await waitFor(() => notified.includes('one'))).toBe(true);

      // Killed twice in a row: each loss releases the client once and subscribes again.
      for (let round = 0; round < 2; round++) {
        expect(await terminateAll()).toBeGreaterThan(0);
        expect(await waitFor(() => subscribed === round + 2 && listener.listening)).toBe(true);
      }
      await admin.query(`NOTIFY sb_test_channel, 'two'`);
      expect(await waitFor(() => notified.includes('two'))).toBe(true);
      expect(uncaught).toEqual([]);
    } finally {
      await listener.stop();
      // Nothing held: the pool ends.
      await pool.end();
    }
  });

  it('keeps trying while the database refuses connections, and listens once it accepts them again', async () => {
    // A pool whose server is away at first (a closed port), then back (the real address).
    const pool = new Pool({ connectionString: env.databaseUrl, max: 2 });
    const realConnect = pool.connect.bind(pool);
    let refusals = 3;
    pool.connect = (() =>
      refusals-- > 0
        ? Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))
        : realConnect()) as typeof pool.connect;
    let subscribed = 0;
    const listener = new PgListener(
      pool,
      'sb_test_channel',
      { onNotify: () => undefined, onSubscribed: () => subscribed++ },
      { retryMs: 20, maxRetryMs: 50 },
    );
    try {
      await listener.start();
      expect(listener.listening).toBe(false);
      const until = Date.now() + 5_000;
      while (!listener.listening && Date.now() < until) await sleep(20);
      expect(listener.listening).toBe(true);
      expect(subscribed).toBe(1);
    } finally {
      await listener.stop();
      await pool.end();
    }
  });

  it('lets a pool end after an idle connection was killed', async () => {
    const db = new Db(new Pool({ connectionString: env.databaseUrl, max: 2 }));
    await db.query('SELECT 1');
    expect(db.pool.idleCount).toBe(1);
    await terminateAll();
    const until = Date.now() + 5_000;
    while (db.pool.totalCount > 0 && Date.now() < until) await sleep(20);
    expect(db.pool.totalCount).toBe(0);
    await db.pool.end();
    expect(uncaught).toEqual([]);
  });
});
