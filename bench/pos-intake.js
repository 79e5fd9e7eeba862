'use strict';
// node bench/pos-intake.js — how fast store transactions (a store's till sales) enter the ledger through
// process-reservations' POST /v1/stores/{store}/transactions, in batches of 500, against the raw statement of a
// sale sent straight through pg in the same run. About 30 s. See docs/benchmarks.md ("POS intake").
//
// Cases, each on the same seeded data (4 stores, 200 SKUs with 1,000,000 units each, so no sale oversells):
//   intake-1    BENCH_POS_BATCHES batches of 500 one-line sales, one batch in flight at a time
//   intake-4    the same, four batches in flight (one per store)
//   pg-raw      the same number of `UPDATE stock_levels SET on_hand = on_hand - 1 WHERE sku = $1 AND
//               location = $2` through pg, autocommit, over 8 connections (the endpoint's parallelism per batch)
//   pg-raw-async  the same with synchronous_commit off (commits not waiting for the disk), for reference: the
//               endpoint commits its transactions that way and flushes once per batch
// After the intake cases it checks the ledger: one store-sale movement per sale, on hand down by the sales.
//
// Environment: BENCH_POS_BATCHES (20), BENCH_SKIP_BUILD=1, BENCH_DATABASE_POS_URL
// (postgres://postgres@127.0.0.1:5432/sb_bench_pos; dropped and recreated), BENCH_REDIS_URL
// (redis://127.0.0.1:6379; keys under sbbenchpos:), BENCH_PORT (3950), BENCH_DB_POOL_SIZE (20).
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const {
  ROOT,
  RESULTS,
  BenchError,
  num,
  stopAll,
  takeLock,
  startNode,
  waitHttp,
  runSync,
  git,
  dist,
  freshDatabase,
  clearRedis,
} = require('./lib/harness');

const cfg = {
  batches: Math.max(1, Math.round(num('BENCH_POS_BATCHES', 20))),
  batchSize: 500,
  port: num('BENCH_PORT', 3950),
  poolSize: Math.round(num('BENCH_DB_POOL_SIZE', 20)),
  databaseUrl: process.env.BENCH_DATABASE_POS_URL || 'postgres://postgres@127.0.0.1:5432/sb_bench_pos',
  redisUrl: process.env.BENCH_REDIS_URL || 'redis://127.0.0.1:6379',
  redisPrefix: 'sbbenchpos:',
  build: process.env.BENCH_SKIP_BUILD !== '1',
  stores: ['POS-S1', 'POS-S2', 'POS-S3', 'POS-S4'],
  skus: Array.from({ length: 200 }, (_, i) => `POS-${String(i + 1).padStart(4, '0')}`),
  rawConnections: 8,
};

const step = (what) => console.log(`· ${what}`);
const round = (n, d = 1) => Math.round(n * 10 ** d) / 10 ** d;

function percentile(values, p) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

/** Machine-wide busy and stolen CPU ticks (/proc/stat), and one process's (/proc/<pid>/stat). */
function machineTicks() {
  const f = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, idle, iowait, irq, softirq, steal] = f;
  return {
    busy: user + nice + system + irq + softirq,
    steal,
    total: f.reduce((a, b) => a + b, 0) - idle - iowait,
  };
}
function processTicks(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}
function postgresTicks() {
  let sum = 0;
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres') sum += processTicks(pid);
    } catch {
      // gone meanwhile
    }
  }
  return sum;
}

/** CPU over a measured window, in % of one core: the app, this script, PostgreSQL, and everything else. */
async function measured(appPid, fn) {
  const hz = 100;
  const before = {
    m: machineTicks(),
    app: processTicks(appPid),
    pg: postgresTicks(),
    me: process.cpuUsage(),
  };
  const started = process.hrtime.bigint();
  const result = await fn();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const m = machineTicks();
  const pct = (ticks) => round((ticks / hz / seconds) * 100, 0);
  const me = process.cpuUsage(before.me);
  const app = pct(processTicks(appPid) - before.app);
  const pg = pct(postgresTicks() - before.pg);
  const bench = round(((me.user + me.system) / 1e6 / seconds) * 100, 0);
  const busy = pct(m.busy - before.m.busy);
  return {
    result,
    seconds,
    cpu: {
      app,
      postgres: pg,
      bench,
      other: Math.max(0, busy - app - pg - bench),
      stolen: pct(m.steal - before.m.steal),
    },
  };
}

let txnCounter = 0;
/** A batch of one-line sales of random SKUs at a store; a fifth of them hours old. */
function batch() {
  return Array.from({ length: cfg.batchSize }, () => {
    const n = txnCounter++;
    return {
      transactionId: `B-${n}`,
      type: 'sale',
      occurredAt: new Date(Date.now() - (n % 5 === 0 ? 3 * 3600_000 : 0)).toISOString(),
      lines: [{ sku: cfg.skus[crypto.randomInt(cfg.skus.length)], quantity: 1 }],
    };
  });
}

async function seed(databaseUrl) {
  require('reflect-metadata');
  const { openDataSource } = dist('libs/persistence/src');
  const { Catalog, Db, Movements } = dist('libs/ledger/src');
  const ds = await openDataSource({ url: databaseUrl, poolSize: 4 });
  try {
    const db = Db.fromDataSource(ds);
    const catalog = new Catalog(db, 0);
    await db.tx(async (sql) => {
      await catalog.upsertLocations(
        sql,
        cfg.stores.map((code) => ({ code, name: code, type: 'store' })),
      );
      await catalog.upsertSkus(
        sql,
        cfg.skus.map((sku) => ({ sku, name: sku, priceCents: 1000 })),
      );
    });
    const counts = cfg.stores.flatMap((location) =>
      cfg.skus.map((sku) => ({
        kind: 'count',
        sku,
        location,
        quantity: 1_000_000,
        sourceSystem: 'bench',
        sourceEventId: `${sku}@${location}`,
      })),
    );
    await new Movements(db).applyAll(counts);
  } finally {
    await ds.destroy();
  }
}

async function main() {
  const started = Date.now();
  takeLock();
  if (cfg.build) {
    step('building (node scripts/build.js)');
    runSync(process.execPath, [path.join(ROOT, 'scripts', 'build.js')]);
  }
  step(`fresh database ${cfg.databaseUrl.replace(/\/\/[^@]*@/, '//')} and Redis keys ${cfg.redisPrefix}*`);
  await freshDatabase(cfg.databaseUrl);
  const redisVersion = await clearRedis(cfg.redisUrl, cfg.redisPrefix);
  step(`seeding ${cfg.stores.length} stores × ${cfg.skus.length} SKUs, 1,000,000 units each`);
  await seed(cfg.databaseUrl);

  const token = crypto.randomBytes(24).toString('hex');
  step(`starting process-reservations :${cfg.port} (DB_POOL_SIZE ${cfg.poolSize})`);
  const app = startNode(
    'process-reservations',
    [path.join(ROOT, 'dist/apps/process-reservations/src/main.js')],
    {
      DATABASE_URL: cfg.databaseUrl,
      REDIS_URL: cfg.redisUrl,
      REDIS_PREFIX: cfg.redisPrefix,
      SERVICE_TOKEN: token,
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      NODE_ENV: 'production',
      PORT: String(cfg.port),
      DB_POOL_SIZE: String(cfg.poolSize),
    },
    'pos-process-reservations',
  );
  await waitHttp(app, `http://127.0.0.1:${cfg.port}/health/ready`);

  const { Pool: HttpPool } = require('undici');
  const http = new HttpPool(`http://127.0.0.1:${cfg.port}`, { connections: 8 });
  const { Pool } = require('pg');
  const pg = new Pool({
    connectionString: cfg.databaseUrl,
    max: cfg.rawConnections,
    application_name: 'bench-pos',
  });
  try {
    const send = async (store, txns) => {
      const t0 = process.hrtime.bigint();
      const res = await http.request({
        method: 'POST',
        path: `/v1/stores/${store}/transactions`,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ transactions: txns }),
        headersTimeout: 60_000,
        bodyTimeout: 60_000,
      });
      const body = await res.body.json();
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      const applied = res.statusCode === 200 ? body.results.filter((r) => r.status === 'applied').length : 0;
      if (applied !== txns.length)
        throw new BenchError(
          `a batch answered ${res.statusCode}, ${applied} of ${txns.length} applied: ${JSON.stringify(body).slice(0, 300)}`,
        );
      return ms;
    };
    step('warm-up: 2 batches');
    for (const store of cfg.stores.slice(0, 2)) await send(store, batch());

    const intake = async (inFlight) => {
      const latencies = [];
      const queue = Array.from({ length: cfg.batches }, (_, i) => cfg.stores[i % cfg.stores.length]);
      await pg.query('CHECKPOINT');
      const m = await measured(app.pid, async () => {
        const workers = Array.from({ length: inFlight }, async (_, w) => {
          for (let i = w; i < queue.length; i += inFlight) latencies.push(await send(queue[i], batch()));
        });
        await Promise.all(workers);
      });
      return { ...m, sales: cfg.batches * cfg.batchSize, latencies };
    };
    const raw = async (async) => {
      const total = cfg.batches * cfg.batchSize;
      let next = 0;
      await pg.query('CHECKPOINT');
      return {
        ...(await measured(app.pid, async () => {
          await Promise.all(
            Array.from({ length: cfg.rawConnections }, async () => {
              const client = await pg.connect();
              try {
                if (async) await client.query('SET synchronous_commit = off');
                while (next < total) {
                  next++;
                  const sku = cfg.skus[crypto.randomInt(cfg.skus.length)];
                  const store = cfg.stores[crypto.randomInt(cfg.stores.length)];
                  await client.query(
                    'UPDATE stock_levels SET on_hand = on_hand - 1 WHERE sku = $1 AND location = $2',
                    [sku, store],
                  );
                }
                if (async) await client.query('RESET synchronous_commit');
              } finally {
                client.release();
              }
            }),
          );
        })),
        sales: total,
        latencies: [],
      };
    };

    const cases = [];
    step(`intake-1: ${cfg.batches} batches of ${cfg.batchSize}, one in flight`);
    cases.push(['intake-1', await intake(1)]);
    step(`intake-4: ${cfg.batches} batches of ${cfg.batchSize}, four in flight`);
    cases.push(['intake-4', await intake(4)]);
    step('pg-raw: the raw statement, autocommit, 8 connections');
    cases.push(['pg-raw', await raw(false)]);
    step('pg-raw-async: the same with synchronous_commit off');
    cases.push(['pg-raw-async', await raw(true)]);

    const check = await pg.query(
      `SELECT (SELECT count(*) FROM stock_movements WHERE movement_type = 'store-sale')::int AS movements,
         (SELECT count(*) FROM store_transactions)::int AS transactions`,
    );
    const expected = (cfg.batches * 2 + 2) * cfg.batchSize;
    const ok = check.rows[0].movements === expected && check.rows[0].transactions === expected;

    const baseline = cases.find(([name]) => name === 'pg-raw')[1];
    const rate = (c) => c.sales / c.seconds;
    const rows = cases.map(([name, c]) => ({
      case: name,
      sales: c.sales,
      seconds: round(c.seconds, 2),
      salesPerSecond: Math.round(rate(c)),
      batchP50Ms: c.latencies.length ? round(percentile(c.latencies, 50)) : null,
      batchP99Ms: c.latencies.length ? round(percentile(c.latencies, 99)) : null,
      ratioToPgRaw: round(rate(c) / rate(baseline), 2),
      cpu: c.cpu,
    }));
    const machine = {
      cpu: os.cpus()[0]?.model ?? '?',
      cores: os.cpus().length,
      node: process.version,
      postgres: (await pg.query('SHOW server_version')).rows[0].server_version,
      redis: redisVersion,
      commit: git(['rev-parse', '--short', 'HEAD']),
      worktree: git(['status', '--porcelain']) ? 'with uncommitted changes' : 'clean',
      date: new Date().toISOString(),
    };
    fs.writeFileSync(
      path.join(RESULTS, 'pos-latest.json'),
      `${JSON.stringify({ machine, config: cfg, rows, check: { ...check.rows[0], expected, ok } }, null, 2)}\n`,
    );

    console.log('');
    console.log(
      `Machine: ${machine.cpu}, ${machine.cores} cores; Node ${machine.node}; PostgreSQL ${machine.postgres}; Redis ${machine.redis}`,
    );
    console.log(`Code: commit ${machine.commit} (${machine.worktree}). Date: ${machine.date}.`);
    console.log('');
    const head = [
      'case',
      'sales',
      's',
      'sales/s',
      'batch p50 ms',
      'batch p99 ms',
      '× pg-raw',
      'CPU % app/pg/bench/other/stolen',
    ];
    const lines = rows.map((r) => [
      r.case,
      r.sales,
      r.seconds,
      r.salesPerSecond,
      r.batchP50Ms ?? '',
      r.batchP99Ms ?? '',
      r.ratioToPgRaw,
      `${r.cpu.app}/${r.cpu.postgres}/${r.cpu.bench}/${r.cpu.other}/${r.cpu.stolen}`,
    ]);
    const widths = head.map((h, i) => Math.max(String(h).length, ...lines.map((l) => String(l[i]).length)));
    const fmt = (cells) =>
      `| ${cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join(' | ')} |`;
    console.log(fmt(head));
    console.log(
      `|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`,
    );
    for (const l of lines) console.log(fmt(l));
    console.log('');
    console.log(
      `Ledger check: ${check.rows[0].movements} store-sale movements and ${check.rows[0].transactions} stored transactions for ${expected} sales sent: ${ok ? 'consistent' : 'INCONSISTENT'}.`,
    );
    console.log(
      `Results: bench/results/pos-latest.json; app log: bench/results/logs/pos-process-reservations.log. Took ${Math.round((Date.now() - started) / 1000)} s.`,
    );
    if (rows.some((r) => r.cpu.other + r.cpu.stolen > 15))
      console.log(
        'NOISY: other processes or the hypervisor took more than 15 % of a core during a case; run again on a quiet machine.',
      );
    if (!ok) process.exitCode = 1;
  } finally {
    await http.close().catch(() => undefined);
    await pg.end().catch(() => undefined);
    await stopAll();
  }
}

main().catch(async (err) => {
  console.error(err instanceof BenchError ? `bench: ${err.message}` : err);
  await stopAll();
  process.exit(1);
});
