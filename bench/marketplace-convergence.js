'use strict';
// npm run bench:marketplace — how soon the marketplace's listings converge after a burst of stock changes, and
// with how many calls, against what the marketplace lets through on its own (measured in the same run). Under 2
// minutes. See docs/benchmarks.md ("Marketplace convergence").
// Longer than 400 lines on purpose, as bench/sync-lag.js: one measurement procedure (seed, start the chain, drive the
// burst, time the convergence, drive the marketplace alone) that no other script shares.
//
// The path: process-reservations' POST /v1/movements (ledger, then the availability read model and its change
// feed in Redis) → experience-marketplace (feed consumer, pending SKUs in PostgreSQL, the pusher paced to the
// marketplace's call limit, 25 SKUs a call) → the sandbox's eBay Inventory API, bulk_update_price_quantity.
//
// 1. Seeds 2 warehouses, 500 SKUs (100 on hand at each) and a `marketplace` channel (20 % buffer, holdback 2);
//    lists the 500 SKUs on the sandbox's marketplace at 0; starts the sandbox, process-reservations and
//    experience-marketplace from dist/ and waits until the app's first-start resync has converged (warm-up).
// 2. The burst: 5,000 adjustments of ±1..3 over the 500 SKUs, spread evenly over 10 s, 64 calls in flight (as
//    test/marketplace/burst.e2e-spec.ts sends them). Then it checks every 100 ms until every listing equals the
//    channel's availability (process API) and the app has nothing pending.
// 3. The baseline: the sandbox driven directly, bulk_update_price_quantity of 25 SKUs of its own (not in the
//    catalog, so the app never touches them), back to back for a few seconds past its first 429: the calls a
//    second the marketplace accepts. A naive pusher (one SKU update per change, 25 a call) needs
//    ceil(5,000 / 25) = 200 calls, so at least 200 / that rate seconds.
//
// Environment: BENCH_MKT_BASELINE_SECONDS (5), BENCH_MKT_TIMEOUT_SECONDS (120, the whole run, build included),
// BENCH_SKIP_BUILD=1, BENCH_DATABASE_MKT_URL (postgres://postgres@127.0.0.1:5432/sb_bench_mkt; dropped and
// recreated), BENCH_REDIS_URL (redis://127.0.0.1:6379; keys under sbbenchmkt:, deleted at start), BENCH_PORT
// (3960: sandbox, +1 process-reservations, +2 experience-marketplace).
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const {
  ROOT,
  RESULTS,
  BenchError,
  num,
  sleep,
  stopAll,
  isStopping,
  takeLock,
  startNode,
  waitHttp,
  runSync,
  git,
  dist,
  freshDatabase,
  clearRedis,
} = require('./lib/harness');
const { CpuWindow } = require('./sampling');

const cfg = {
  skus: 500,
  changes: 5_000,
  burstMs: 10_000,
  inFlight: 64,
  batchSize: 25,
  rate: 5, // the sandbox's Inventory API limit and the app's budget: both their defaults
  onHand: 100,
  policy: { bufferPercent: 20, holdback: 2 },
  baselineSeconds: num('BENCH_MKT_BASELINE_SECONDS', 5),
  timeoutSeconds: num('BENCH_MKT_TIMEOUT_SECONDS', 120),
  port: num('BENCH_PORT', 3960),
  databaseUrl: process.env.BENCH_DATABASE_MKT_URL || 'postgres://postgres@127.0.0.1:5432/sb_bench_mkt',
  redisUrl: process.env.BENCH_REDIS_URL || 'redis://127.0.0.1:6379',
  redisPrefix: 'sbbenchmkt:',
  build: process.env.BENCH_SKIP_BUILD !== '1',
  channel: 'marketplace',
  locations: ['WH-EAST', 'WH-WEST'],
};
const skus = Array.from({ length: cfg.skus }, (_, i) => `MK-${String(i).padStart(5, '0')}`);
const baselineSkus = Array.from({ length: cfg.batchSize }, (_, i) => `MKB-${String(i).padStart(2, '0')}`);
/** Other processes plus stolen CPU (% of one core) above which the run is flagged. */
const NOISY = 15;

const round = (n, d = 2) => (Number.isFinite(n) ? Math.round(n * 10 ** d) / 10 ** d : null);

/** The same seeded generator as the e2e burst: the same changes on every run. */
function mulberry32(seed) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function percentile(values, p) {
  const s = [...values].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] : NaN;
}

/** Catalog, channel and stock straight through the build's ledger (before process-reservations starts). */
async function seed() {
  require('reflect-metadata');
  const { openDataSource } = dist('libs/persistence/src');
  const { Catalog, Db, Movements } = dist('libs/ledger/src');
  const { DEFAULT_CHANNEL_POLICY } = dist('libs/canonical/src');
  const ds = await openDataSource({ url: cfg.databaseUrl, poolSize: 4 });
  try {
    const db = Db.fromDataSource(ds);
    const catalog = new Catalog(db, 0);
    await db.tx(async (sql) => {
      await catalog.upsertLocations(
        sql,
        cfg.locations.map((code) => ({
          code,
          name: code,
          type: 'warehouse',
          latitude: null,
          longitude: null,
        })),
      );
      await catalog.upsertSkus(
        sql,
        skus.map((sku) => ({ sku, name: sku, priceCents: 1000 })),
      );
      await catalog.upsertChannels(sql, [
        {
          code: cfg.channel,
          name: cfg.channel,
          policy: { ...DEFAULT_CHANNEL_POLICY, ...cfg.policy },
          pool: cfg.locations.map((location, i) => ({ location, priority: (i + 1) * 10 })),
        },
      ]);
    });
    await new Movements(db).applyAll(
      skus.flatMap((sku) =>
        cfg.locations.map((location) => ({
          kind: 'count',
          sku,
          location,
          quantity: cfg.onHand,
          sourceSystem: 'bench',
          sourceEventId: `seed-${sku}@${location}`,
        })),
      ),
    );
  } finally {
    await ds.destroy();
  }
}

/** HTTP to one app, JSON in and out, answering status and body. */
class Api {
  constructor(url, authorization, connections = 4) {
    const { Pool } = require('undici');
    this.pool = new Pool(url, { connections });
    this.authorization = authorization;
  }

  async call(method, p, body, authorization = this.authorization) {
    const res = await this.pool.request({
      method,
      path: p,
      headers: {
        ...(authorization ? { authorization } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      headersTimeout: 30_000,
      bodyTimeout: 30_000,
    });
    const text = await res.body.text();
    let json = null;
    try {
      json = JSON.parse(text);
    } catch {
      // not JSON
    }
    return { status: res.statusCode, body: json, text };
  }

  /** The call, which must answer `expected`. */
  async ok(method, p, body, expected = 200) {
    const res = await this.call(method, p, body);
    if (res.status !== expected)
      throw new BenchError(`${method} ${p} answered ${res.status}: ${res.text.slice(0, 300)}`);
    return res.body;
  }

  close() {
    return this.pool.close();
  }
}

/** Listings (read from the sandbox's table, so as not to spend the call budget) that differ from availability. */
async function differences(pg, processApi) {
  const [listed, available] = await Promise.all([
    pg
      .query(`SELECT sku, quantity FROM sandbox_marketplace.inventory_items WHERE sku LIKE 'MK-%'`)
      .then((r) => new Map(r.rows.map((row) => [row.sku, row.quantity]))),
    (async () => {
      const out = new Map();
      const pages = [];
      for (let i = 0; i < skus.length; i += 100) pages.push(skus.slice(i, i + 100));
      await Promise.all(
        pages.map(async (page) => {
          const body = await processApi.ok(
            'GET',
            `/v1/channels/${cfg.channel}/availability?${page.map((s) => `sku=${s}`).join('&')}`,
          );
          for (const item of body.items) out.set(item.sku, item.available);
        }),
      );
      return out;
    })(),
  ]);
  return [...available].filter(([sku, n]) => listed.get(sku) !== n).length;
}

/**
 * Checks every `everyMs` until no listing differs and the app has nothing pending; answers when the successful
 * check started (performance.now()), the checks made and the longest one, or throws after `ms`.
 */
async function converged(pg, processApi, appApi, ms, everyMs = 100) {
  const deadline = performance.now() + ms;
  const took = [];
  let differ = -1;
  let pending = -1;
  while (performance.now() < deadline && !isStopping()) {
    const at = performance.now();
    differ = await differences(pg, processApi);
    pending = differ === 0 ? (await appApi.ok('GET', '/v1/marketplace/status')).pending : -1;
    took.push(performance.now() - at);
    if (differ === 0 && pending === 0) return { at, checks: took.length, checkMs: Math.max(...took) };
    await sleep(everyMs);
  }
  throw new BenchError(
    `not converged within ${Math.round(ms / 1000)} s: ${differ} listings differ, ${pending} SKUs pending`,
  );
}

/** The burst: `changes` movements over every SKU, evenly over `burstMs`, `inFlight` at a time. */
async function burst(processApi, runId) {
  const random = mulberry32(42);
  const t0 = performance.now();
  const returned = [];
  let next = 0;
  let lastSentAt = 0;
  const worker = async () => {
    while (next < cfg.changes && !isStopping()) {
      const i = next++;
      const wait = t0 + (i * cfg.burstMs) / cfg.changes - performance.now();
      if (wait >= 1) await sleep(wait);
      const delta = [-3, -2, -1, 1, 2, 3][Math.floor(random() * 6)];
      const location = cfg.locations[Math.floor(random() * cfg.locations.length)];
      lastSentAt = Math.max(lastSentAt, performance.now());
      await processApi.ok(
        'POST',
        '/v1/movements',
        {
          kind: 'adjust',
          sku: skus[i % skus.length],
          location,
          quantity: delta,
          sourceSystem: 'wms',
          sourceEventId: `mkt-${runId}-${i}`,
        },
        201,
      );
      returned.push(performance.now());
    }
  };
  await Promise.all(Array.from({ length: cfg.inFlight }, worker));
  return { firstAt: t0, lastSentAt, lastAt: Math.max(...returned), count: returned.length };
}

/**
 * The marketplace alone: bulk_update_price_quantity of 25 SKUs, two callers back to back (a 429 retried after
 * 5 ms), first until the bucket is empty (the first 429), then for `seconds`: the calls accepted per second.
 */
async function baseline(sandboxApi, token) {
  let counter = 0;
  const call = () =>
    sandboxApi.call(
      'POST',
      '/sell/inventory/v1/bulk_update_price_quantity',
      {
        requests: baselineSkus.map((sku) => ({
          sku,
          shipToLocationAvailability: { quantity: counter++ % 1000 },
        })),
      },
      `Bearer ${token}`,
    );
  for (let i = 0; i < 100; i++) {
    const res = await call();
    if (res.status === 429) break;
    if (res.status !== 200) throw new BenchError(`baseline call answered ${res.status}: ${res.text}`);
  }
  const latencies = [];
  let limited = 0;
  const t0 = performance.now();
  const until = t0 + cfg.baselineSeconds * 1000;
  await Promise.all(
    [0, 1].map(async () => {
      while (performance.now() < until && !isStopping()) {
        const at = performance.now();
        const res = await call();
        if (res.status === 200) latencies.push(performance.now() - at);
        else if (res.status === 429) {
          limited++;
          await sleep(5);
        } else throw new BenchError(`baseline call answered ${res.status}: ${res.text}`);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  return {
    seconds,
    accepted: latencies.length,
    rateLimited: limited,
    callsPerSecond: latencies.length / seconds,
    acceptedCallP50Ms: percentile(latencies, 50),
  };
}

const statsDelta = (before, after) =>
  Object.fromEntries(
    [
      'inventoryCalls',
      'bulkUpdateCalls',
      'skuUpdatesApplied',
      'skuUpdatesRejected',
      'rateLimited',
      'faulted',
    ].map((k) => [k, after[k] - before[k]]),
  );

async function main() {
  const started = Date.now();
  const step = (msg) => console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${msg}`);
  const watchdog = setTimeout(() => {
    console.error(`bench: over ${cfg.timeoutSeconds} s (BENCH_MKT_TIMEOUT_SECONDS); stopping`);
    void stopAll().finally(() => process.exit(1));
  }, cfg.timeoutSeconds * 1000);
  watchdog.unref();
  takeLock();
  if (cfg.build) {
    step('building (node scripts/build.js)');
    runSync(process.execPath, [path.join(ROOT, 'scripts', 'build.js')]);
  }
  step(`fresh database ${cfg.databaseUrl.replace(/\/\/[^@]*@/, '//')} and Redis keys ${cfg.redisPrefix}*`);
  const database = await freshDatabase(cfg.databaseUrl);
  const redisVersion = await clearRedis(cfg.redisUrl, cfg.redisPrefix);
  step(
    `seeding ${cfg.locations.join(', ')}, ${skus.length} SKUs (${cfg.onHand} on hand at each), channel ${cfg.channel}`,
  );
  await seed();

  const { Pool } = require('pg');
  const pg = new Pool({ connectionString: cfg.databaseUrl, max: 2, application_name: 'bench-mkt' });
  const serviceToken = crypto.randomBytes(24).toString('hex');
  const adminToken = crypto.randomBytes(24).toString('hex');
  const clientId = 'stockbridge-marketplace';
  const clientSecret = crypto.randomBytes(24).toString('hex');
  const ports = { sandbox: cfg.port, process: cfg.port + 1, app: cfg.port + 2 };
  const url = (name) => `http://127.0.0.1:${ports[name]}`;
  const common = {
    DATABASE_URL: cfg.databaseUrl,
    REDIS_URL: cfg.redisUrl,
    REDIS_PREFIX: cfg.redisPrefix,
    SERVICE_TOKEN: serviceToken,
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    NODE_ENV: 'production',
  };
  const appMain = (name) => path.join(ROOT, 'dist/apps', name, 'src/main.js');
  const start = (name, env) => startNode(name, [appMain(name)], { ...common, ...env }, `mkt-${name}`);
  const apis = [];
  try {
    step(`starting sandbox :${ports.sandbox} and process-reservations :${ports.process}`);
    const sandbox = start('sandbox', {
      PORT: String(ports.sandbox),
      DB_POOL_SIZE: '6',
      SANDBOX_ADMIN_TOKEN: adminToken,
      SANDBOX_MARKETPLACE_AUTH: `oauth2:${clientId}:${clientSecret}`,
      SANDBOX_MARKETPLACE_INVENTORY_CALLS_PER_SECOND: String(cfg.rate),
    });
    const processApp = start('process-reservations', { PORT: String(ports.process), DB_POOL_SIZE: '16' });
    await Promise.all([
      waitHttp(sandbox, `${url('sandbox')}/health/ready`),
      waitHttp(processApp, `${url('process')}/health/ready`),
    ]);
    const sandboxApi = new Api(url('sandbox'), `Bearer ${adminToken}`, 4);
    const processApi = new Api(url('process'), `Bearer ${serviceToken}`, cfg.inFlight);
    apis.push(sandboxApi, processApi);
    await sandboxApi.ok('POST', '/admin/marketplace/inventory-items', {
      inventoryItems: [...skus, ...baselineSkus].map((sku) => ({ sku, quantity: 0 })),
    });

    step(
      `starting experience-marketplace :${ports.app}; warm-up: its first-start resync of ${skus.length} listings`,
    );
    const app = start('experience-marketplace', {
      PORT: String(ports.app),
      DB_POOL_SIZE: '6',
      MARKETPLACE_CHANNEL: cfg.channel,
      MARKETPLACE_URL: url('sandbox'),
      MARKETPLACE_AUTH: 'oauth2',
      MARKETPLACE_TOKEN_URL: `${url('sandbox')}/oauth/token`,
      MARKETPLACE_TOKEN_REQUEST: 'json',
      MARKETPLACE_CLIENT_ID: clientId,
      MARKETPLACE_CLIENT_SECRET: clientSecret,
      MARKETPLACE_CALLS_PER_SECOND: String(cfg.rate),
      MARKETPLACE_RESYNC_INTERVAL_SECONDS: '0',
      MARKETPLACE_IDLE_MS: '200',
      MARKETPLACE_LEADER_RETRY_MS: '500',
    });
    await waitHttp(app, `${url('app')}/health/ready`);
    const appApi = new Api(url('app'), `Bearer ${serviceToken}`, 2);
    apis.push(appApi);
    await converged(pg, processApi, appApi, 40_000);

    // A second of quiet to see what else the machine is doing, then the burst.
    const quiet = new CpuWindow({ bench: process.pid });
    await sleep(1_000);
    const background = quiet.stop();
    const before = (await sandboxApi.ok('GET', '/admin/stats')).marketplace;
    const {
      rows: [{ id: lastCallBefore }],
    } = await pg.query(`SELECT coalesce(max(id), 0)::int AS id FROM sandbox_marketplace.bulk_calls`);
    step(
      `burst: ${cfg.changes} adjustments over ${skus.length} SKUs in ${cfg.burstMs / 1000} s, ${cfg.inFlight} in flight, through POST /v1/movements`,
    );
    const cpu = new CpuWindow({
      sandbox: sandbox.pid,
      'process-reservations': processApp.pid,
      'experience-marketplace': app.pid,
      postgres: (comm) => comm === 'postgres' || comm.startsWith('postgres:'),
      redis: (comm) => comm.startsWith('redis-server'),
      bench: process.pid,
    });
    const runId = crypto.randomBytes(4).toString('hex');
    const sent = await burst(processApi, runId);
    step(
      `burst entered in ${((sent.lastAt - sent.firstAt) / 1000).toFixed(1)} s; waiting for the listings to converge`,
    );
    const remaining = cfg.timeoutSeconds * 1000 - (Date.now() - started) - 15_000;
    const done = await converged(pg, processApi, appApi, Math.max(5_000, remaining));
    const cpuWindow = cpu.stop();
    const after = (await sandboxApi.ok('GET', '/admin/stats')).marketplace;
    const d = statsDelta(before, after);
    // When the last listing update of the burst was applied, on the same clock (PostgreSQL's now() and
    // performance.timeOrigin are both wall-clock time of this machine).
    const {
      rows: [last],
    } = await pg.query(
      `SELECT extract(epoch FROM max(at)) * 1000 AS at, count(*)::int AS calls,
              count(*) FILTER (WHERE applied > 0)::int AS applying
         FROM sandbox_marketplace.bulk_calls WHERE id > $1`,
      [lastCallBefore],
    );
    const lastUpdateAt = last.at === null ? sent.lastAt : Number(last.at) - performance.timeOrigin;

    step(`baseline: the sandbox's bulk_update_price_quantity driven directly for ${cfg.baselineSeconds} s`);
    const tokenRes = await sandboxApi.ok(
      'POST',
      '/oauth/token',
      { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret },
      200,
    );
    const base = await baseline(sandboxApi, tokenRes.access_token);

    // The figures.
    const burstSeconds = (sent.lastAt - sent.firstAt) / 1000;
    const afterLastUpdate = Math.max(0, (lastUpdateAt - sent.lastAt) / 1000);
    const afterLastCheck = (done.at - sent.lastAt) / 1000;
    const firstToConverged = (Math.max(lastUpdateAt, sent.lastAt) - sent.firstAt) / 1000;
    const naiveCalls = Math.ceil(cfg.changes / cfg.batchSize);
    const naiveSeconds = naiveCalls / base.callsPerSecond;
    const naiveAfterLast = Math.max(0, naiveSeconds - burstSeconds);
    const windowSeconds = (done.at - sent.firstAt) / 1000;
    const machine = {
      date: new Date().toISOString(),
      cpu: os.cpus()[0]?.model ?? '?',
      cores: os.cpus().length,
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      os: `${os.type()} ${os.release()}`,
      node: process.version,
      postgres: (await pg.query('SHOW server_version')).rows[0].server_version,
      redis: redisVersion,
      commit: git(['rev-parse', '--short', 'HEAD']),
      worktree: git(['status', '--porcelain', '--', 'apps', 'libs'])
        ? 'apps/libs modified since the commit'
        : 'clean',
    };
    const report = {
      machine,
      settings: { ...cfg, database },
      burst: {
        changes: sent.count,
        seconds: round(burstSeconds),
        lastSentAfterSeconds: round((sent.lastSentAt - sent.firstAt) / 1000),
      },
      marketplace: d,
      bulkCallsRecorded: last.calls,
      bulkCallsApplying: last.applying,
      convergence: {
        lastChangeToLastUpdateSeconds: round(afterLastUpdate),
        lastChangeToConfirmedSeconds: round(afterLastCheck),
        firstChangeToConvergedSeconds: round(firstToConverged),
        checks: done.checks,
        longestCheckMs: round(done.checkMs, 0),
      },
      baseline: {
        ...base,
        callsPerSecond: round(base.callsPerSecond),
        acceptedCallP50Ms: round(base.acceptedCallP50Ms),
        seconds: round(base.seconds),
      },
      naive: {
        calls: naiveCalls,
        skuUpdates: cfg.changes,
        seconds: round(naiveSeconds),
        afterLastChangeSeconds: round(naiveAfterLast),
      },
      ratios: {
        calls: round(d.bulkUpdateCalls / naiveCalls),
        skuUpdates: round(d.skuUpdatesApplied / cfg.changes),
        firstChangeToConverged: round(firstToConverged / naiveSeconds),
        lastChangeToConverged: naiveAfterLast > 0 ? round(afterLastUpdate / naiveAfterLast) : null,
      },
      appCallsPerSecond: round(d.inventoryCalls / windowSeconds),
      cpuPercentOfOneCore: cpuWindow,
      backgroundCpuBefore: background,
      noisy: cpuWindow.foreign + cpuWindow.steal > NOISY,
    };
    fs.writeFileSync(path.join(RESULTS, 'marketplace-latest.json'), `${JSON.stringify(report, null, 2)}\n`);

    const f = (n, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '-');
    const rows = [
      ['changes (POST /v1/movements)', sent.count, `in ${f(burstSeconds)} s`, '', ''],
      ['bulk_update_price_quantity calls made', d.bulkUpdateCalls, naiveCalls, f(report.ratios.calls, 2), ''],
      ['SKU updates applied', d.skuUpdatesApplied, cfg.changes, f(report.ratios.skuUpdates, 2), ''],
      ['Inventory API calls (reads included)', d.inventoryCalls, '', '', ''],
      ['429s (past the call limit)', d.rateLimited, '', '', ''],
      [
        'first change → converged, s',
        f(firstToConverged),
        f(naiveSeconds),
        f(report.ratios.firstChangeToConverged, 2),
        '',
      ],
      [
        'last change → converged, s',
        f(afterLastUpdate),
        f(naiveAfterLast),
        report.ratios.lastChangeToConverged === null ? '-' : f(report.ratios.lastChangeToConverged, 2),
        `confirmed by a check at ${f(afterLastCheck)} s`,
      ],
      [
        'marketplace alone: calls accepted per second',
        f(base.callsPerSecond, 2),
        '',
        '',
        `${base.accepted} in ${f(base.seconds)} s, call p50 ${f(base.acceptedCallP50Ms)} ms`,
      ],
      [
        'the app: Inventory API calls per second',
        f(report.appCallsPerSecond, 2),
        f(base.callsPerSecond, 2),
        f(report.appCallsPerSecond / base.callsPerSecond, 2),
        'first change → converged',
      ],
    ];
    const head = ['what', 'measured', 'naive / baseline', 'ratio', 'note'];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
    const fmt = (cells) =>
      `| ${cells.map((c, i) => (i === 0 || i === 4 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join(' | ')} |`;
    console.log('');
    console.log(
      `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB; ${machine.os}; Node ${machine.node}; PostgreSQL ${machine.postgres}; Redis ${machine.redis}`,
    );
    console.log(`Code: commit ${machine.commit || '?'} (${machine.worktree}). Date: ${machine.date}.`);
    console.log('');
    console.log(fmt(head));
    console.log(
      `|${widths.map((w, i) => (i === 0 || i === 4 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`,
    );
    for (const r of rows) console.log(fmt(r));
    console.log('');
    console.log(
      `naive = one SKU update per change, 25 a call: ${naiveCalls} calls, at the marketplace's measured ${f(base.callsPerSecond, 2)} calls/s at least ${f(naiveSeconds)} s from the first change (${f(naiveAfterLast)} s after the last of a ${f(burstSeconds)} s burst).`,
    );
    console.log(
      `Converged = every listing equal to the channel's availability (process API) and nothing pending in the app; timed at the last listing update applied (sandbox_marketplace.bulk_calls), confirmed by the check at ${f(afterLastCheck)} s (${done.checks} checks, longest ${f(done.checkMs, 0)} ms). ${last.calls} bulk calls recorded, ${last.applying} applied updates.`,
    );
    console.log(
      `CPU % of one core, first change → converged (${f(windowSeconds)} s): ${Object.entries(cpuWindow)
        .filter(([, v]) => typeof v === 'number')
        .map(([k, v]) => `${k} ${v}`)
        .join(
          ', ',
        )}. Before the burst: other processes ${background.foreign} %, stolen ${background.steal} %.`,
    );
    console.log(
      `Results: bench/results/marketplace-latest.json; logs: bench/results/logs/mkt-*.log. Took ${Math.round((Date.now() - started) / 1000)} s.`,
    );
    if (report.noisy)
      console.log(
        `NOISY: other processes or the hypervisor took ${cpuWindow.foreign + cpuWindow.steal} % of a core during the measurement (more than ${NOISY} %); run again on a quiet machine.`,
      );
    if (d.rateLimited > 0 || d.skuUpdatesRejected > 0) process.exitCode = 1;
  } finally {
    await Promise.all(apis.map((a) => a.close().catch(() => undefined)));
    await pg.end().catch(() => undefined);
    await stopAll();
  }
}

main().catch(async (err) => {
  console.error(err instanceof BenchError ? `bench: ${err.message}` : err);
  await stopAll();
  process.exit(1);
});
