'use strict';
// npm run bench:lag — how long a stock change entered in the WMS takes to show in storefront availability, at
// 100 WMS events per second, against what the hops cost on their own (measured in the same run). About 1 min.
// See docs/benchmarks.md ("WMS → storefront sync lag") for what it measures and the figures of record.
// Longer than 400 lines on purpose: one measurement procedure (start the chain, drive the WMS, time each hop
// and the whole in the same run) that no other script shares.
//
// The path measured: sandbox WMS receipt (POST /wms/api/receipts) → the sandbox's signed webhook → system-wms
// (verify, queue wms.inbound-events) → translate job (mappings, inventory.stock-moved) → process-reservations
// (inbox + ledger movement in one transaction, then the availability read model in Redis) → storefront
// GET /v1/availability. Lag = first time the storefront shows the unit − time the receipt call returned.
//
// Environment: BENCH_LAG_SECONDS (20) measured, BENCH_LAG_RATE (100 receipts/s), BENCH_LAG_SKUS (50),
// BENCH_LAG_POLL_MS (5, the availability poll period), BENCH_LAG_DRAIN_SECONDS (60, how long to wait for the
// last receipts to show), BENCH_LAG_BASELINE_REQUESTS (200), BENCH_SKIP_BUILD=1, BENCH_DATABASE_LAG_URL
// (postgres://postgres@127.0.0.1:5432/sb_bench_lag; dropped and recreated), BENCH_REDIS_URL
// (redis://127.0.0.1:6379; keys under sbbenchlag:, deleted at start), BENCH_PORT (3930: sandbox, +1
// process-reservations, +2 storefront, +3 system-wms).
const { spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const {
  ROOT,
  RESULTS,
  LOGS,
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
  freshDatabase,
  clearRedis,
} = require('./lib/harness');

/** This benchmark's apps log to bench/results/logs/lag-<app>.log, beside npm run bench's. */
const startLagNode = (name, args, env) => startNode(name, args, env, `lag-${name}`);

const cfg = {
  seconds: num('BENCH_LAG_SECONDS', 20),
  rate: num('BENCH_LAG_RATE', 100),
  skuCount: Math.min(100, Math.round(num('BENCH_LAG_SKUS', 50))),
  pollMs: num('BENCH_LAG_POLL_MS', 5),
  drainSeconds: num('BENCH_LAG_DRAIN_SECONDS', 60),
  baselineRequests: Math.round(num('BENCH_LAG_BASELINE_REQUESTS', 200)),
  idleEvents: 30,
  warmupSeconds: 2,
  port: num('BENCH_PORT', 3930),
  databaseUrl: process.env.BENCH_DATABASE_LAG_URL || 'postgres://postgres@127.0.0.1:5432/sb_bench_lag',
  redisUrl: process.env.BENCH_REDIS_URL || 'redis://127.0.0.1:6379',
  redisPrefix: 'sbbenchlag:',
  build: process.env.BENCH_SKIP_BUILD !== '1',
  location: 'WH-LAG',
  wmsWarehouse: 'DC-LAG',
  skuPrefix: 'LAG-',
  wmsItemPrefix: 'W-LAG-',
  baselineItem: 'W-BASELINE',
  channel: 'web',
  caseQty: 12,
};

const skus = Array.from(
  { length: cfg.skuCount },
  (_, i) => `${cfg.skuPrefix}${String(i + 1).padStart(3, '0')}`,
);
const wmsItem = (sku) => `${cfg.wmsItemPrefix}${sku.slice(cfg.skuPrefix.length)}`;

// ---------------------------------------------------------------------------------------------------------
// Database, Redis, seed

/** Runs the CLI from dist/ and returns its stdout; its stderr goes to the log. */
function cli(args) {
  const res = spawnSync(process.execPath, [path.join(ROOT, 'dist/apps/cli/src/main.js'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: {
      ...process.env,
      DATABASE_URL: cfg.databaseUrl,
      REDIS_URL: cfg.redisUrl,
      REDIS_PREFIX: cfg.redisPrefix,
    },
  });
  fs.appendFileSync(path.join(LOGS, 'lag-cli.log'), `$ cli ${args.join(' ')}\n${res.stdout}${res.stderr}\n`);
  if (res.error) throw new BenchError(`cli ${args.join(' ')}: ${res.error.message}`);
  if (res.status !== 0)
    throw new BenchError(`cli ${args.join(' ')} exited with ${res.status}:\n${res.stderr}`);
  return res.stdout;
}

/** Catalog (1 warehouse, the SKUs at 0, a `web` channel) and an API key through the CLI; WMS cross-references in SQL. */
async function seed(pg) {
  const file = path.join(RESULTS, 'lag-catalog.json');
  fs.writeFileSync(
    file,
    `${JSON.stringify(
      {
        locations: [{ code: cfg.location, name: 'Lag bench warehouse', type: 'warehouse' }],
        skus: skus.map((sku) => ({ sku, name: `Lag bench ${sku}`, priceCents: 1000 })),
        channels: [{ code: cfg.channel, name: 'Web', pool: [{ location: cfg.location, priority: 10 }] }],
        stock: skus.map((sku) => ({ sku, location: cfg.location, onHand: 0 })),
      },
      null,
      2,
    )}\n`,
  );
  cli(['catalog', 'load', file]);
  const out = cli([
    'clients',
    'create',
    '--channel',
    cfg.channel,
    '--name',
    'bench-lag',
    '--scopes',
    'availability:read',
  ]);
  const key = /^key: (\S+)/m.exec(out)?.[1];
  if (!key) throw new BenchError(`no API key in the CLI's output:\n${out}`);
  await pg.query(
    `INSERT INTO sku_xrefs (system, external_code, sku) SELECT 'wms', x, s FROM unnest($1::text[], $2::text[]) AS t(x, s)`,
    [skus.map(wmsItem), skus],
  );
  await pg.query(`INSERT INTO location_xrefs (system, external_code, location) VALUES ('wms', $1, $2)`, [
    cfg.wmsWarehouse,
    cfg.location,
  ]);
  await pg.query(`INSERT INTO uom_conversions (system, uom, sku, factor) VALUES ('wms', 'CS', '*', $1)`, [
    cfg.caseQty,
  ]);
  return key;
}

// ---------------------------------------------------------------------------------------------------------
// Measuring

const { Pool: HttpPool } = require('undici');

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

function stats(values) {
  const s = [...values].sort((a, b) => a - b);
  return {
    count: s.length,
    min: s[0] ?? NaN,
    p50: percentile(s, 50),
    p90: percentile(s, 90),
    p99: percentile(s, 99),
    max: s[s.length - 1] ?? NaN,
    mean: s.length ? s.reduce((a, b) => a + b, 0) / s.length : NaN,
  };
}

const round = (n, digits = 2) => (Number.isFinite(n) ? Math.round(n * 10 ** digits) / 10 ** digits : null);
const roundStats = (s) =>
  Object.fromEntries(Object.entries(s).map(([k, v]) => [k, k === 'count' ? v : round(v)]));

/** CPU ticks (user + system) of one process, from /proc/<pid>/stat. */
function cpuTicks(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return NaN;
  }
}

class Clients {
  constructor(ports, apiKey, sandboxAdminToken) {
    this.sandbox = new HttpPool(`http://127.0.0.1:${ports.sandbox}`, { connections: 64 });
    this.storefront = new HttpPool(`http://127.0.0.1:${ports.storefront}`, { connections: 8 });
    this.auth = `Bearer ${apiKey}`;
    this.sandboxAdmin = `Bearer ${sandboxAdminToken}`;
  }

  /** One WMS receipt; answers the sandbox's status and body. */
  async receipt(itemCode, qty = 1) {
    const res = await this.sandbox.request({
      method: 'POST',
      path: '/wms/api/receipts',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ warehouse: cfg.wmsWarehouse, itemCode, qty, uom: 'EA' }),
      headersTimeout: 10_000,
      bodyTimeout: 10_000,
    });
    const body = await res.body.json().catch(() => null);
    return { status: res.statusCode, body };
  }

  async availability(list) {
    const query = list.map((s) => `sku=${encodeURIComponent(s)}`).join('&');
    const res = await this.storefront.request({
      method: 'GET',
      path: `/v1/availability?${query}`,
      headers: { authorization: this.auth },
      headersTimeout: 10_000,
      bodyTimeout: 10_000,
    });
    const body = await res.body.json().catch(() => null);
    if (res.statusCode !== 200)
      throw new BenchError(`availability answered ${res.statusCode}: ${JSON.stringify(body)}`);
    return body;
  }

  async sandboxCall(method, p, body) {
    const res = await this.sandbox.request({
      method,
      path: p,
      headers: {
        authorization: this.sandboxAdmin,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const out = await res.body.json().catch(() => null);
    if (res.statusCode >= 300)
      throw new BenchError(`sandbox ${method} ${p} answered ${res.statusCode}: ${JSON.stringify(out)}`);
    return out;
  }

  async close() {
    await Promise.all([this.sandbox.close(), this.storefront.close()]);
  }
}

/**
 * Polls the storefront for every SKU in one call (`?sku=…&sku=…`), one call every `pollMs` (or back to back
 * when a call takes longer), and records per SKU when each count was first shown: the time the answer came.
 */
class Poller {
  constructor(clients) {
    this.clients = clients;
    this.seen = new Map(skus.map((s) => [s, 0]));
    this.firstSeen = new Map(skus.map((s) => [s, [0]]));
    this.cycles = [];
    this.errors = 0;
    this.running = null;
    this.stopped = true;
  }

  async once() {
    const body = await this.clients.availability(skus);
    const at = performance.now();
    for (const item of body.items) {
      const prev = this.seen.get(item.sku);
      if (prev === undefined || item.available <= prev) continue;
      const first = this.firstSeen.get(item.sku);
      for (let c = prev + 1; c <= item.available; c++) first[c] = at;
      this.seen.set(item.sku, item.available);
    }
    return at;
  }

  start() {
    this.stopped = false;
    this.running = (async () => {
      while (!this.stopped) {
        const started = performance.now();
        try {
          await this.once();
        } catch {
          this.errors++;
        }
        const took = performance.now() - started;
        this.cycles.push(took);
        if (took < cfg.pollMs) await sleep(cfg.pollMs - took);
      }
    })();
  }

  async stop() {
    this.stopped = true;
    await this.running;
  }

  /** Resolves once every SKU shows at least `targets[sku]`, or after `ms`; answers whether it did. */
  async until(targets, ms) {
    const deadline = performance.now() + ms;
    for (;;) {
      if ([...targets].every(([sku, n]) => this.seen.get(sku) >= n)) return true;
      if (performance.now() > deadline || isStopping()) return false;
      await sleep(20);
    }
  }
}

/** Enters `count` receipts at `rate` per second (open loop: a slow answer does not delay the next send). */
async function paced(clients, count, rate, onAnswer) {
  const interval = 1000 / rate;
  const inFlight = new Set();
  const t0 = performance.now() + 5;
  let errors = 0;
  const sendTimes = [];
  for (let i = 0; i < count && !isStopping(); i++) {
    const due = t0 + i * interval;
    const wait = due - performance.now();
    if (wait >= 1) await sleep(wait);
    const sku = skus[i % skus.length];
    const sentAt = performance.now();
    sendTimes.push(sentAt);
    const p = clients
      .receipt(wmsItem(sku))
      .then(({ status, body }) => {
        const returnedAt = performance.now();
        if (status !== 201) errors++;
        onAnswer({ i, sku, sentAt, returnedAt, status, eventId: body?.eventId ?? null });
      })
      .catch(() => {
        errors++;
        onAnswer({ i, sku, sentAt, returnedAt: performance.now(), status: 0, eventId: null });
      })
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  }
  await Promise.all([...inFlight]);
  const span = (sendTimes[sendTimes.length - 1] - sendTimes[0]) / 1000;
  return {
    sent: sendTimes.length,
    errors,
    sendSpanSeconds: span,
    firstSentAt: sendTimes[0],
    lastSentAt: sendTimes[sendTimes.length - 1],
  };
}

/**
 * Sends receipts and tracks them: each receipt that the sandbox accepted (201) is the SKU's next unit, and its
 * lag is when the poller first saw that unit's count minus when the receipt call returned.
 */
class Tracker {
  constructor(poller) {
    this.poller = poller;
    this.accepted = new Map(skus.map((s) => [s, 0]));
    this.receipts = [];
  }

  answer = (a) => {
    if (a.status !== 201) {
      this.receipts.push({ ...a, unit: null });
      return;
    }
    const unit = this.accepted.get(a.sku) + 1;
    this.accepted.set(a.sku, unit);
    this.receipts.push({ ...a, unit });
  };

  targets() {
    return new Map(this.accepted);
  }

  lags(from = 0) {
    const out = [];
    let unseen = 0;
    for (const r of this.receipts.slice(from)) {
      if (r.unit === null) continue;
      const shownAt = this.poller.firstSeen.get(r.sku)[r.unit];
      if (shownAt === undefined) unseen++;
      else out.push({ ...r, shownAt, lag: shownAt - r.returnedAt });
    }
    return { lags: out, unseen };
  }
}

async function sequentialLatency(n, fn) {
  const times = [];
  for (let i = 0; i < n && !isStopping(); i++) {
    const started = performance.now();
    await fn(i);
    times.push(performance.now() - started);
  }
  return stats(times);
}

// ---------------------------------------------------------------------------------------------------------
// Report

function machine(pgVersion, redisVersion) {
  const cpuinfo = fs.readFileSync('/proc/cpuinfo', 'utf8');
  const pkg = (name) => {
    try {
      return require(path.join(ROOT, 'node_modules', name, 'package.json')).version;
    } catch {
      return '?';
    }
  };
  return {
    date: new Date().toISOString(),
    cpu: /model name\s*:\s*(.+)/.exec(cpuinfo)?.[1]?.trim() ?? os.cpus()[0]?.model ?? '?',
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    postgres: pgVersion,
    redis: redisVersion,
    commit: git(['rev-parse', '--short', 'HEAD']),
    worktree: git(['status', '--porcelain', '--', 'apps', 'libs'])
      ? 'apps/libs modified since the commit'
      : 'clean',
    nest: pkg('@nestjs/core'),
    bullmq: pkg('bullmq'),
  };
}

/** CPU of other processes plus CPU stolen by the hypervisor (% of one core) above which the run is flagged. */
const NOISY = 15;

const fmtMs = (n) =>
  Number.isFinite(n) ? (n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : n.toFixed(0)) : '-';

function table(head, rows, numeric) {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => String(row[i]).length)));
  const line = (cells) =>
    cells
      .map((c, i) => (numeric[i] ? String(c).padStart(widths[i]) : String(c).padEnd(widths[i])))
      .join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

// ---------------------------------------------------------------------------------------------------------

async function main() {
  const started = Date.now();
  const step = (msg) => console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${msg}`);
  takeLock();
  fs.mkdirSync(LOGS, { recursive: true });
  fs.writeFileSync(path.join(LOGS, 'lag-cli.log'), '');

  if (cfg.build) {
    step('building (node scripts/build.js)');
    runSync(process.execPath, [path.join(ROOT, 'scripts', 'build.js')]);
  }

  step(`fresh database ${cfg.databaseUrl.replace(/\/\/[^@]*@/, '//')} and Redis keys ${cfg.redisPrefix}*`);
  const database = await freshDatabase(cfg.databaseUrl);
  const redisVersion = await clearRedis(cfg.redisUrl, cfg.redisPrefix);
  const { Pool } = require('pg');
  const pg = new Pool({ connectionString: cfg.databaseUrl, max: 2, application_name: 'bench-lag' });
  let clients;
  try {
    const {
      rows: [{ server_version: pgVersion }],
    } = await pg.query('SHOW server_version');

    step(
      `seeding through the CLI: ${cfg.location}, ${skus.length} SKUs at 0, channel ${cfg.channel}, an API key; WMS cross-references (CS = ${cfg.caseQty})`,
    );
    const apiKey = await seed(pg);

    const serviceToken = crypto.randomBytes(24).toString('hex');
    const webhookSecret = crypto.randomBytes(24).toString('hex');
    const sandboxAdminToken = crypto.randomBytes(24).toString('hex');
    const ports = { sandbox: cfg.port, process: cfg.port + 1, storefront: cfg.port + 2, wms: cfg.port + 3 };
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
    const app = (name) => path.join(ROOT, 'dist/apps', name, 'src/main.js');
    step(
      `starting sandbox :${ports.sandbox}, process-reservations :${ports.process}, system-wms :${ports.wms}, storefront :${ports.storefront}`,
    );
    const sandbox = startLagNode('sandbox', [app('sandbox')], {
      ...common,
      PORT: String(ports.sandbox),
      DB_POOL_SIZE: '10',
      SANDBOX_ADMIN_TOKEN: sandboxAdminToken,
    });
    const processApp = startLagNode('process-reservations', [app('process-reservations')], {
      ...common,
      PORT: String(ports.process),
    });
    const wms = startLagNode('system-wms', [app('system-wms')], {
      ...common,
      PORT: String(ports.wms),
      BACKEND_URL: url('sandbox'),
      WMS_WEBHOOK_SECRETS: webhookSecret,
      DB_POOL_SIZE: '10',
    });
    await Promise.all([
      waitHttp(sandbox, `${url('sandbox')}/health/ready`),
      waitHttp(processApp, `${url('process')}/health/ready`),
      waitHttp(wms, `${url('wms')}/health/ready`),
    ]);
    const storefront = startLagNode('experience-storefront', [app('experience-storefront')], {
      ...common,
      PORT: String(ports.storefront),
      PROCESS_RESERVATIONS_URL: url('process'),
      PROCESS_ALLOCATION_URL: 'http://127.0.0.1:1',
      DB_POOL_SIZE: '10',
    });
    await waitHttp(storefront, `${url('storefront')}/health/ready`);
    const apps = { sandbox, 'system-wms': wms, 'process-reservations': processApp, storefront };

    clients = new Clients(ports, apiKey, sandboxAdminToken);
    const first = await clients.availability(skus);
    if (!first.items.every((i) => i.known && i.available === 0)) {
      throw new BenchError(
        `availability not published as expected: ${JSON.stringify(first.items.slice(0, 3))}`,
      );
    }

    // Baseline 1: the receipt call alone. No subscription yet, so the sandbox records the events and sends
    // nothing; they are then marked delivered so that they are never sent.
    step(
      `baseline: ${cfg.baselineRequests} sequential sandbox POST /wms/api/receipts (item ${cfg.baselineItem}, no webhook subscription yet)`,
    );
    await sequentialLatency(50, () => clients.receipt(cfg.baselineItem));
    const receiptBaseline = await sequentialLatency(cfg.baselineRequests, async () => {
      const r = await clients.receipt(cfg.baselineItem);
      if (r.status !== 201)
        throw new BenchError(`baseline receipt answered ${r.status}: ${JSON.stringify(r.body)}`);
    });
    await pg.query(`UPDATE sandbox_wms.events SET delivered_at = now() WHERE delivered_at IS NULL`);
    await clients.sandboxCall('PUT', '/admin/wms/subscription', {
      url: `${url('wms')}/v1/webhooks/wms`,
      secret: webhookSecret,
    });

    // Warm-up: the whole path at the target rate, then idle until everything showed.
    const poller = new Poller(clients);
    const tracker = new Tracker(poller);
    poller.start();
    step(`warm-up: ${cfg.warmupSeconds} s at ${cfg.rate} receipts/s through the whole path`);
    await paced(clients, Math.round(cfg.warmupSeconds * cfg.rate), cfg.rate, tracker.answer);
    if (!(await poller.until(tracker.targets(), cfg.drainSeconds * 1000)))
      throw new BenchError('the warm-up receipts did not all show in the storefront');
    await poller.stop();
    await sleep(500);

    // Baseline 2: one availability read, one SKU, and the 50-SKU read the poller makes.
    step(
      `baseline: ${cfg.baselineRequests} sequential storefront GET /v1/availability (1 SKU), then ${cfg.baselineRequests} with all ${skus.length} SKUs`,
    );
    await sequentialLatency(50, (i) => clients.availability([skus[i % skus.length]]));
    const availabilityBaseline = await sequentialLatency(cfg.baselineRequests, (i) =>
      clients.availability([skus[i % skus.length]]),
    );
    const availabilityAllBaseline = await sequentialLatency(cfg.baselineRequests, () =>
      clients.availability(skus),
    );

    // Baseline 3: the lag of one event on an otherwise idle path.
    poller.start();
    step(`baseline: lag of ${cfg.idleEvents} single receipts, one at a time on an idle path`);
    const idleFrom = tracker.receipts.length;
    for (let i = 0; i < cfg.idleEvents && !isStopping(); i++) {
      const sku = skus[(i * 7) % skus.length];
      const sentAt = performance.now();
      const r = await clients.receipt(wmsItem(sku));
      tracker.answer({
        i,
        sku,
        sentAt,
        returnedAt: performance.now(),
        status: r.status,
        eventId: r.body?.eventId ?? null,
      });
      await poller.until(tracker.targets(), 10_000);
      await sleep(50);
    }
    const idle = tracker.lags(idleFrom);
    const idleLag = stats(idle.lags.map((l) => l.lag));

    // The measurement. First let the machine settle: anything else busy skews every figure, so it is reported.
    await poller.stop();
    const { CpuWindow } = require('./sampling');
    let background;
    for (let i = 0; i < 15 && !isStopping(); i++) {
      const quiet = new CpuWindow({ bench: process.pid });
      await sleep(1_000);
      background = quiet.stop();
      if (background.machine + background.steal <= 20) break;
    }
    poller.start();
    const count = Math.round(cfg.seconds * cfg.rate);
    step(
      `measuring: ${count} receipts at ${cfg.rate}/s (one every ${fmtMs(1000 / cfg.rate)} ms) over ${skus.length} SKUs, 1 EA each, for ${cfg.seconds} s`,
    );
    const ticks0 = Object.fromEntries(Object.entries(apps).map(([k, c]) => [k, cpuTicks(c.pid)]));
    const cpu = new CpuWindow({
      sandbox: sandbox.pid,
      'system-wms': wms.pid,
      'process-reservations': processApp.pid,
      storefront: storefront.pid,
      postgres: (comm) => comm === 'postgres' || comm.startsWith('postgres:'),
      redis: (comm) => comm.startsWith('redis-server'),
      bench: process.pid,
    });
    const windowStart = performance.now();
    const cyclesFrom = poller.cycles.length;
    const measureFrom = tracker.receipts.length;
    const sent = await paced(clients, count, cfg.rate, tracker.answer);
    const allShown = await poller.until(tracker.targets(), cfg.drainSeconds * 1000);
    const windowSeconds = (performance.now() - windowStart) / 1000;
    const cpuWindow = cpu.stop();
    const cpuSeconds = Object.fromEntries(
      Object.entries(apps).map(([k, c]) => [k, round((cpuTicks(c.pid) - ticks0[k]) / 100, 2)]),
    );
    await poller.stop();
    const pollCycles = stats(poller.cycles.slice(cyclesFrom));

    const measured = tracker.lags(measureFrom);
    const lagStats = stats(measured.lags.map((l) => l.lag));
    const accepted = tracker.receipts.slice(measureFrom).filter((r) => r.unit !== null);
    const receiptUnderLoad = stats(accepted.map((r) => r.returnedAt - r.sentAt));
    const lastShown = Math.max(...measured.lags.map((l) => l.shownAt));
    const achievedRate = (sent.sent - 1) / sent.sendSpanSeconds;
    const throughput = measured.lags.length / ((lastShown - sent.firstSentAt) / 1000);

    // Where the time went, per receipt: webhook acknowledged by system-wms (the sandbox's delivery record),
    // movement committed in the ledger (recorded_at), shown by the storefront (the poller).
    const epoch = (t) => performance.timeOrigin + t;
    const ids = measured.lags.map((l) => l.eventId).filter(Boolean);
    const { rows: stages } = await pg.query(
      `SELECT e.event_id::text AS id,
              extract(epoch FROM (SELECT min(d.at) FROM sandbox_wms.deliveries d
                                   WHERE d.event_id = e.event_id AND d.status BETWEEN 200 AND 299)) * 1000 AS acked,
              extract(epoch FROM m.recorded_at) * 1000 AS applied,
              e.attempts
         FROM sandbox_wms.events e
         LEFT JOIN stock_movements m ON m.source_system = 'wms' AND m.source_event_id = e.event_id::text
        WHERE e.event_id = ANY($1::uuid[])`,
      [ids],
    );
    const byId = new Map(stages.map((s) => [s.id, s]));
    const toAck = [];
    const toLedger = [];
    const ledgerToShown = [];
    let redelivered = 0;
    for (const l of measured.lags) {
      const s = byId.get(l.eventId);
      if (!s) continue;
      if (s.attempts > 1) redelivered++;
      if (s.acked !== null) toAck.push(Number(s.acked) - epoch(l.returnedAt));
      if (s.applied !== null) {
        toLedger.push(Number(s.applied) - epoch(l.returnedAt));
        ledgerToShown.push(epoch(l.shownAt) - Number(s.applied));
      }
    }

    // The ledger must hold exactly the accepted receipts, and nothing may be dead-lettered.
    const acceptedTotal = [...tracker.accepted.values()].reduce((a, b) => a + b, 0);
    const {
      rows: [check],
    } = await pg.query(
      `SELECT (SELECT coalesce(sum(on_hand), 0) FROM stock_levels WHERE location = $1)::int AS on_hand,
              (SELECT count(*) FROM stock_movements WHERE source_system = 'wms')::int AS movements,
              (SELECT count(*) FROM dead_letters)::int AS dead_letters`,
      [cfg.location],
    );
    const sandboxStats = await clients.sandboxCall('GET', '/admin/stats');

    const machineInfo = machine(pgVersion, redisVersion);
    const report = {
      machine: machineInfo,
      settings: { ...cfg, database },
      baselines: {
        receiptMs: roundStats(receiptBaseline),
        availability1SkuMs: roundStats(availabilityBaseline),
        availabilityAllSkusMs: roundStats(availabilityAllBaseline),
        idleLagMs: { ...roundStats(idleLag), unseen: idle.unseen },
      },
      measurement: {
        sent: sent.sent,
        accepted: accepted.length,
        receiptErrors: sent.errors,
        achievedEventsPerSecond: round(achievedRate, 1),
        shownPerSecond: round(throughput, 1),
        allShown,
        unseen: measured.unseen,
        lagMs: roundStats(lagStats),
        receiptUnderLoadMs: roundStats(receiptUnderLoad),
        stagesMs: {
          receiptToWebhookAcked: roundStats(stats(toAck)),
          receiptToLedgerCommit: roundStats(stats(toLedger)),
          ledgerCommitToShown: roundStats(stats(ledgerToShown)),
        },
        webhookRedeliveries: redelivered,
        pollCycleMs: roundStats(pollCycles),
        pollErrors: poller.errors,
        windowSeconds: round(windowSeconds, 1),
        cpuSeconds,
        cpuPercentOfOneCore: cpuWindow,
        backgroundCpuBefore: background,
        noisy: cpuWindow.foreign + cpuWindow.steal > NOISY,
      },
      check: {
        ...check,
        acceptedReceipts: acceptedTotal,
        ok: check.on_hand === acceptedTotal && check.dead_letters === 0,
      },
      sandboxStats,
    };
    const stamp = machineInfo.date.replace(/[:.]/g, '-');
    fs.writeFileSync(path.join(RESULTS, 'lag-latest.json'), `${JSON.stringify(report, null, 2)}\n`);
    fs.writeFileSync(path.join(RESULTS, `lag-${stamp}.json`), `${JSON.stringify(report, null, 2)}\n`);

    await clients.close();
    clients = undefined;
    step('stopping the apps');
    await stopAll();

    const m = machineInfo;
    const ratio = (x, base) => (Number.isFinite(x) && base > 0 ? `${(x / base).toFixed(1)}×` : '');
    const hops = availabilityBaseline.p50 + receiptBaseline.p50;
    const hops99 = availabilityBaseline.p99 + receiptBaseline.p99;
    console.log('');
    console.log(
      `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB; ${m.os}; Node ${m.node}; PostgreSQL ${m.postgres}; Redis ${m.redis}; Nest ${m.nest}; BullMQ ${m.bullmq}`,
    );
    console.log(`Code: commit ${m.commit || '?'} (${m.worktree}). Date: ${m.date}.`);
    console.log('');
    const rows = [
      ['baseline: sandbox POST /wms/api/receipts alone', receiptBaseline],
      ['baseline: storefront GET /v1/availability, 1 SKU', availabilityBaseline],
      [`baseline: storefront GET /v1/availability, ${skus.length} SKUs (the poll)`, availabilityAllBaseline],
      ['baseline: lag of a single receipt on an idle path', idleLag],
      [`receipt call under ${cfg.rate}/s`, receiptUnderLoad],
      [`LAG at ${cfg.rate}/s: receipt returned → storefront shows it`, lagStats],
      ['  of which: receipt → webhook acknowledged by system-wms', stats(toAck)],
      ['  of which: receipt → movement committed in the ledger', stats(toLedger)],
      ['  of which: ledger commit → storefront shows it', stats(ledgerToShown)],
    ];
    console.log(
      table(
        ['what', 'count', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'p50 / hops', 'p99 / hops'],
        rows.map(([label, s]) => [
          label,
          s.count,
          fmtMs(s.p50),
          fmtMs(s.p90),
          fmtMs(s.p99),
          fmtMs(s.max),
          label.startsWith('LAG') || label.includes('idle path') ? ratio(s.p50, hops) : '',
          label.startsWith('LAG') || label.includes('idle path') ? ratio(s.p99, hops99) : '',
        ]),
        [false, true, true, true, true, true, true, true],
      ),
    );
    console.log('');
    console.log(
      `hops = one receipt call + one 1-SKU availability read, each alone: p50 ${fmtMs(hops)} ms, p99 ${fmtMs(hops99)} ms. ` +
        `Poll resolution: one ${skus.length}-SKU read every ${cfg.pollMs} ms or back to back (cycle p50 ${fmtMs(pollCycles.p50)} ms, p99 ${fmtMs(pollCycles.p99)} ms); lag counts to the poll answer's arrival.`,
    );
    console.log(
      `Sent ${sent.sent} receipts in ${sent.sendSpanSeconds.toFixed(1)} s: ${achievedRate.toFixed(1)} events/s entered (${sent.errors} errors), ` +
        `${throughput.toFixed(1)}/s shown; ${measured.unseen} never shown${allShown ? '' : ` within ${cfg.drainSeconds} s`}; webhooks delivered more than once: ${redelivered}.`,
    );
    console.log(
      `CPU seconds over the ${windowSeconds.toFixed(1)} s window (sending + draining): ${Object.entries(
        cpuSeconds,
      )
        .map(([k, v]) => `${k} ${v}`)
        .join(
          ', ',
        )}; PostgreSQL ${round((cpuWindow.postgres * windowSeconds) / 100, 1)}, Redis ${round((cpuWindow.redis * windowSeconds) / 100, 1)}, ` +
        `this script ${round((cpuWindow.bench * windowSeconds) / 100, 1)}; machine ${cpuWindow.machine} % of ${cpuWindow.capacity} % (other processes ${cpuWindow.foreign} %, stolen ${cpuWindow.steal} %).`,
    );
    console.log(
      `Ledger check: on hand at ${cfg.location} ${check.on_hand} = ${acceptedTotal} accepted receipts, ${check.movements} WMS movements, ${check.dead_letters} dead letters: ${report.check.ok ? 'consistent' : 'INCONSISTENT'}.`,
    );
    console.log(
      `Results: bench/results/lag-latest.json (and lag-${stamp}.json); logs: bench/results/logs/lag-*.log. Took ${Math.round((Date.now() - started) / 1000)} s.`,
    );
    if (report.measurement.noisy) {
      console.log(
        `NOISY: other processes or the hypervisor took ${cpuWindow.foreign + cpuWindow.steal} % of a core during the measurement (more than ${NOISY} %); run again on a quiet machine.`,
      );
    }
    if (!report.check.ok || measured.unseen > 0 || sent.errors > 0) process.exitCode = 1;
  } finally {
    await clients?.close().catch(() => undefined);
    await pg.end().catch(() => undefined);
  }
}

main().catch(async (err) => {
  console.error(err instanceof BenchError ? `bench: ${err.message}` : err);
  await stopAll();
  process.exit(1);
});
