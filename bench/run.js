'use strict';
// npm run bench — the platform's throughput and latency against its baselines, in one run (about 2 minutes).
// See docs/benchmarks.md for what it measures, how to read it and the figures of record.
// Longer than 400 lines on purpose: it is the one script that starts the apps, runs every case back to back in
// the same stretch as the baselines they are read against, samples CPU and PostgreSQL and prints the table;
// splitting it would spread one measurement procedure over files that are never used apart.
//
// Environment: BENCH_SECONDS (10) per case, BENCH_WARMUP_SECONDS (2) per case, BENCH_CONNECTIONS (50),
// BENCH_WRK_THREADS (1), BENCH_DB_POOL_SIZE (20, process-reservations' DB_POOL_SIZE), BENCH_ONLY (comma-separated
// case names), BENCH_PROFILE (comma-separated case names whose app CPU profiles to record), BENCH_SKIP_BUILD=1,
// BENCH_DATABASE_URL (postgres://postgres@127.0.0.1:5432/sb_bench; dropped and recreated), BENCH_REDIS_URL
// (redis://127.0.0.1:6379; keys under sbbench:), BENCH_PORT (3910: hello-world, +1 process, +2 storefront),
// BENCH_APPS_DIST (run the two apps from another build's dist/ directory, to compare a candidate change).
const { spawn, spawnSync } = require('node:child_process');
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
  track,
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
const PROFILES = path.join(RESULTS, 'profiles');

const list = (name) =>
  (process.env[name] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

const cfg = {
  seconds: num('BENCH_SECONDS', 10),
  warmup: num('BENCH_WARMUP_SECONDS', 2),
  connections: num('BENCH_CONNECTIONS', 50),
  threads: num('BENCH_WRK_THREADS', 1),
  dbPool: num('BENCH_DB_POOL_SIZE', 20),
  port: num('BENCH_PORT', 3910),
  databaseUrl: process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/sb_bench',
  redisUrl: process.env.BENCH_REDIS_URL || 'redis://127.0.0.1:6379',
  redisPrefix: 'sbbench:',
  only: list('BENCH_ONLY'),
  profile: list('BENCH_PROFILE'),
  build: process.env.BENCH_SKIP_BUILD !== '1',
  appsDist: path.resolve(process.env.BENCH_APPS_DIST || path.join(ROOT, 'dist')),
  skuPrefix: 'SKU-',
  skuCount: 10_000,
  skuStock: 10_000,
  hotSku: 'HOT-00001',
  rawHotSku: 'HOT-00002',
  hotStock: 1_000_000,
  location: 'WH-BENCH',
  channel: 'web',
  skusPerCall: 5,
};

const CASES = [
  {
    name: 'hello',
    label: 'hello-world, Nest 12 + Fastify, GET /',
    kind: 'wrk',
    mode: 'hello',
    server: 'hello',
  },
  {
    name: 'live',
    label: 'diagnostic: storefront GET /health/live, every hook but no auth, no Redis',
    kind: 'wrk',
    mode: 'live',
    server: 'storefront',
    apps: ['storefront'],
    baseline: 'hello',
  },
  {
    name: 'availability',
    label: `availability, storefront, ${cfg.skusPerCall} random SKUs/call`,
    kind: 'wrk',
    mode: 'availability',
    server: 'storefront',
    apps: ['storefront'],
    baseline: 'hello',
    minRatio: 0.5,
  },
  {
    name: 'reserve-spread',
    label: `reservations, 1 of ${cfg.skuCount.toLocaleString('en')} SKUs`,
    kind: 'wrk',
    mode: 'reserve-spread',
    server: 'storefront',
    apps: ['storefront', 'process'],
    db: true,
    baseline: 'pg-spread',
    minRatio: 0.2,
  },
  {
    name: 'reserve-hot',
    label: 'reservations, one hot SKU',
    kind: 'wrk',
    mode: 'reserve-hot',
    server: 'storefront',
    apps: ['storefront', 'process'],
    db: true,
    baseline: 'pg-hot',
    minRatio: 0.5,
    maxP99Ms: 100,
  },
  {
    name: 'ledger-spread',
    label: `diagnostic: ledger reserve() in-process, no HTTP, 1 of ${cfg.skuCount.toLocaleString('en')} SKUs`,
    kind: 'db',
    op: 'reserve',
    mode: 'spread',
    db: true,
    baseline: 'pg-spread',
  },
  {
    name: 'ledger-hot',
    label: 'diagnostic: ledger reserve() in-process, no HTTP, one hot SKU',
    kind: 'db',
    op: 'reserve',
    mode: 'hot',
    db: true,
    baseline: 'pg-hot',
  },
  {
    name: 'pg-spread',
    label: `raw pg UPDATE, 1 of ${cfg.skuCount.toLocaleString('en')} rows`,
    kind: 'db',
    op: 'update',
    mode: 'spread',
    db: true,
  },
  { name: 'pg-hot', label: 'raw pg UPDATE, one hot row', kind: 'db', op: 'update', mode: 'hot', db: true },
];

// ---------------------------------------------------------------------------------------------------------
// wrk

function wrkVersion() {
  const res = spawnSync('wrk', ['-v'], { encoding: 'utf8' });
  if (res.error) return null;
  return (
    `${res.stdout}${res.stderr}`
      .split('\n')[0]
      .replace(/\s*Copyright.*$/, '')
      .trim() || 'wrk'
  );
}

function ensureWrk() {
  if (wrkVersion()) return;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!root) {
    throw new BenchError(
      'wrk is not installed, and this is not root so the benchmark cannot install it. Install it ' +
        '(Debian/Ubuntu: sudo apt-get install -y wrk; macOS: brew install wrk) and run npm run bench again.',
    );
  }
  if (spawnSync('apt-get', ['--version']).error) {
    throw new BenchError(
      'wrk is not installed and there is no apt-get to install it with: install wrk and run again.',
    );
  }
  console.log('wrk is not installed; installing it from the Debian archive (running as root):');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  console.log('  $ apt-get update');
  runSync('apt-get', ['update'], { env });
  console.log('  $ apt-get install -y wrk');
  runSync('apt-get', ['install', '-y', 'wrk'], { env });
  if (!wrkVersion()) throw new BenchError('apt-get installed wrk but it still does not run');
}

let wrkLog;

/** Runs wrk for `seconds` and returns its WRK_JSON summary. */
async function wrk(mode, port, seconds, runId, auth) {
  const args = [
    `-t${cfg.threads}`,
    `-c${cfg.connections}`,
    `-d${seconds}s`,
    '--timeout',
    '10s',
    '-s',
    path.join(__dirname, 'wrk.lua'),
    ...(auth ? ['-H', `Authorization: Bearer ${auth}`] : []),
    `http://127.0.0.1:${port}`,
    '--',
    mode,
    runId,
    cfg.skuPrefix,
    String(cfg.skuCount),
    cfg.hotSku,
    String(cfg.skusPerCall),
  ];
  const child = track(spawn('wrk', args, { stdio: ['ignore', 'pipe', 'pipe'] }));
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const [code] = await new Promise((resolve) => child.once('close', (...a) => resolve(a)));
  fs.appendFileSync(wrkLog, `$ wrk ${args.join(' ').replace(/Bearer \S+/, 'Bearer ***')}\n${out}\n`);
  const line = out.split('\n').find((l) => l.startsWith('WRK_JSON '));
  if (code !== 0 || !line) throw new BenchError(`wrk ${mode} failed (exit ${code}):\n${out}`);
  return { wrk: JSON.parse(line.slice('WRK_JSON '.length)), pid: child.pid };
}

// ---------------------------------------------------------------------------------------------------------
// Database, Redis, seed

const spreadSkus = () =>
  Array.from({ length: cfg.skuCount }, (_, i) => `${cfg.skuPrefix}${String(i).padStart(5, '0')}`);

async function seed() {
  require('reflect-metadata');
  const { openDataSource } = dist('libs/persistence/src');
  const { Catalog, Db, Movements } = dist('libs/ledger/src');
  const { DEFAULT_CHANNEL_POLICY } = dist('libs/canonical/src');
  const { ApiKeys } = dist('libs/api-keys/src');
  const ds = await openDataSource({ url: cfg.databaseUrl, poolSize: 6, applicationName: 'bench' });
  try {
    const db = Db.fromDataSource(ds);
    const catalog = new Catalog(db, 0);
    const movements = new Movements(db);
    const skus = [...spreadSkus(), cfg.hotSku, cfg.rawHotSku];
    await db.tx(async (sql) => {
      await catalog.upsertLocations(sql, [
        { code: cfg.location, name: 'Bench warehouse', type: 'warehouse', latitude: null, longitude: null },
      ]);
      await catalog.upsertSkus(
        sql,
        skus.map((sku) => ({ sku, name: sku, priceCents: 1000 })),
      );
      await catalog.upsertChannels(sql, [
        {
          code: cfg.channel,
          name: 'Web',
          policy: DEFAULT_CHANNEL_POLICY,
          pool: [{ location: cfg.location, priority: 10 }],
        },
      ]);
    });
    const counts = skus.map((sku, i) => ({
      kind: 'count',
      sku,
      location: cfg.location,
      quantity: sku.startsWith('HOT-') ? cfg.hotStock : cfg.skuStock,
      sourceSystem: 'bench',
      sourceEventId: `seed-${i}`,
    }));
    const chunks = [];
    for (let i = 0; i < counts.length; i += 500) chunks.push(counts.slice(i, i + 500));
    const worker = async () => {
      for (let c = chunks.shift(); c; c = chunks.shift()) await movements.applyAll(c);
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    await db.query('VACUUM ANALYZE');
    const client = await new ApiKeys(db.pool, 0).create({
      name: 'bench',
      channel: cfg.channel,
      scopes: ['availability:read', 'reservations:write'],
    });
    return client.key;
  } finally {
    await ds.destroy();
  }
}

// ---------------------------------------------------------------------------------------------------------
// Machine

function machine(pgVersion, pgSettings, redisVersion) {
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
    postgresSettings: pgSettings,
    redis: redisVersion,
    wrk: wrkVersion(),
    commit: git(['rev-parse', '--short', 'HEAD']),
    worktree: git(['status', '--porcelain', '--', 'apps', 'libs'])
      ? 'apps/libs modified since the commit'
      : 'clean',
    nest: pkg('@nestjs/core'),
    fastify: pkg('fastify'),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Profiles

const profileCounters = new Map();

async function withProfiles(apps, fn) {
  for (const a of apps) a.child.kill('SIGWINCH');
  await sleep(100);
  const result = await fn();
  const files = apps.map((a) => {
    const n = profileCounters.get(a.name) ?? 0;
    profileCounters.set(a.name, n + 1);
    a.child.kill('SIGWINCH');
    return { app: a.name, file: path.join(PROFILES, `${a.name}-${n}.cpuprofile`) };
  });
  const { summarize } = require('./cpuprofile-top');
  const out = [];
  for (const f of files) {
    const deadline = Date.now() + 30_000;
    while (!fs.existsSync(f.file) && Date.now() < deadline) await sleep(100);
    if (!fs.existsSync(f.file)) throw new BenchError(`no CPU profile from ${f.app} (${f.file})`);
    const trace = f.file.replace(/\.cpuprofile$/, '.pgtrace.json');
    const statements = fs.existsSync(trace) ? JSON.parse(fs.readFileSync(trace, 'utf8')) : [];
    out.push({
      app: f.app,
      file: path.relative(ROOT, f.file),
      ...summarize(JSON.parse(fs.readFileSync(f.file, 'utf8')), 15),
      statements: statements.slice(0, 15),
      statementCount: statements.reduce((n, s) => n + s.count, 0),
    });
  }
  return { result, profiles: out };
}

// ---------------------------------------------------------------------------------------------------------
// Cases

const ms = (us) => us / 1000;

/**
 * A CPU speed index (SHA-256 MB/s on one core, 250 ms) taken before each case with the apps idle. This VM's
 * speed changes with the load on its host, more than the hypervisor's steal time shows; the index tells a
 * slow run from a slow change.
 */
function cpuSpeed() {
  const buf = Buffer.alloc(64 * 1024);
  let n = 0;
  const started = performance.now();
  while (performance.now() - started < 250) {
    crypto.createHash('sha256').update(buf).digest();
    n++;
  }
  return Math.round((n * 64) / 1024 / ((performance.now() - started) / 1000));
}

async function runWrkCase(c, ctx) {
  const port = ctx.ports[c.server];
  const auth = c.server === 'storefront' ? ctx.apiKey : undefined;
  const warm = await wrk(c.mode, port, cfg.warmup, `${ctx.runTag}-${c.name}-w`, auth);
  ctx.wrkRuns += c.mode.startsWith('reserve') ? 2 : 0;
  ctx.created += Number(warm.wrk.statuses['201'] ?? 0);
  if (c.db) await ctx.pg.query('CHECKPOINT').catch(() => undefined);
  const { CpuWindow, PgWaitSampler } = require('./sampling');
  const cpu = new CpuWindow({ ...ctx.cpuGroups, load: (comm) => comm === 'wrk' });
  const waits = c.db ? new PgWaitSampler(ctx.pg, ctx.database) : null;
  const published = c.apps?.includes('process') ? await publishedCount(ctx.ports.process) : null;
  const counters = c.db ? await pgCounters(ctx) : null;
  const measure = () => wrk(c.mode, port, cfg.seconds, `${ctx.runTag}-${c.name}`, auth);
  const profiled = cfg.profile.includes(c.name) ? (c.apps ?? []).map((name) => ctx.apps[name]) : [];
  const { result, profiles } = profiled.length
    ? await withProfiles(profiled, measure)
    : { result: await measure() };
  const cpuUsed = cpu.stop();
  const pgWaits = waits?.stop();
  const w = result.wrk;
  const seconds = w.durationUs / 1e6;
  const sockets = w.errors.connect + w.errors.read + w.errors.write + w.errors.timeout;
  const reservation = c.mode.startsWith('reserve');
  const ok = reservation ? Number(w.statuses['201'] ?? 0) : w.requests - w.errors.status;
  if (reservation) ctx.created += ok;
  const notOk = w.requests - ok;
  const failures = [];
  if (notOk > 0) {
    const other = Object.entries(w.statuses)
      .filter(([s]) => s !== (reservation ? '201' : '200'))
      .map(([s, n]) => `${n}×${s}`);
    failures.push(reservation ? `non-201: ${other.join(', ') || notOk}` : `non-2xx: ${notOk}`);
  }
  if (sockets > 0) failures.push(`socket errors/timeouts: ${sockets}`);
  const publishedAfter = published ? await publishedCount(ctx.ports.process) : null;
  await sleep(c.db ? 1_100 : 0);
  const countersAfter = c.db ? await pgCounters(ctx) : null;
  return {
    requests: w.requests,
    seconds,
    published: published
      ? Object.fromEntries(Object.entries(publishedAfter).map(([k, v]) => [k, v - (published[k] ?? 0)]))
      : undefined,
    rps: w.requests / seconds,
    okRps: ok / seconds,
    ok,
    latencyMs: {
      p50: ms(w.latencyUs.p50),
      p90: ms(w.latencyUs.p90),
      p99: ms(w.latencyUs.p99),
      max: ms(w.latencyUs.max),
    },
    statuses: w.statuses,
    failures,
    pgPerRequest: perRequest(counters, countersAfter, ok),
    cpu: cpuUsed,
    pgWaits,
    profiles,
  };
}

/** Cumulative PostgreSQL counters: WAL (whole server) and the bench database's transactions and rows. */
async function pgCounters(ctx) {
  const { rows } = await ctx.pg.query(
    `SELECT w.wal_records::float8 AS wal_records, w.wal_bytes::float8 AS wal_bytes, w.wal_fpi::float8 AS wal_fpi,
            d.xact_commit::float8 AS commits, d.tup_inserted::float8 AS inserted, d.tup_updated::float8 AS updated,
            d.tup_fetched::float8 AS fetched
     FROM pg_stat_wal w, pg_stat_database d WHERE d.datname = $1`,
    [ctx.database],
  );
  return rows[0];
}

/** Counter deltas per successful request (stats reach the views within about a second: approximate). */
function perRequest(before, after, ok) {
  if (!before || !after || !ok) return undefined;
  return Object.fromEntries(
    Object.keys(after).map((k) => [k, Math.round((10 * (after[k] - before[k])) / ok) / 10]),
  );
}

/** Availability figures process-reservations has written to the read model, by trigger (its /metrics). */
async function publishedCount(port) {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const out = {};
  for (const m of text.matchAll(/^availability_published_total\{[^}]*trigger="(\w+)"[^}]*\} (\d+)/gm))
    out[m[1]] = Number(m[2]);
  return out;
}

async function runDbCase(c, ctx) {
  // The raw UPDATE has a hot row of its own, so that neither hot case inherits the other's dead row versions.
  const hot = c.op === 'update' ? cfg.rawHotSku : cfg.hotSku;
  const skus = c.mode === 'hot' ? [hot] : spreadSkus();
  await ctx.pg.query('CHECKPOINT').catch(() => undefined);
  const opts = {
    url: cfg.databaseUrl,
    op: c.op,
    connections: cfg.connections,
    poolSize: cfg.dbPool,
    seconds: cfg.seconds,
    warmupSeconds: cfg.warmup,
    location: cfg.location,
    channel: cfg.channel,
    skus,
  };
  const child = track(
    spawn(process.execPath, [path.join(__dirname, 'db-load.js'), JSON.stringify(opts)], {
      stdio: ['pipe', 'pipe', 'pipe'],
    }),
  );
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const { CpuWindow, PgWaitSampler } = require('./sampling');
  let cpu;
  let waits;
  let result;
  let countersP;
  let buf = '';
  const done = new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      buf += d;
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        let msg;
        try {
          msg = JSON.parse(line);
        } catch {
          continue;
        }
        if (msg.phase === 'measure') {
          countersP = pgCounters(ctx);
          cpu = new CpuWindow({ ...ctx.cpuGroups, load: child.pid });
          waits = new PgWaitSampler(ctx.pg, ctx.database);
        } else if (msg.phase === 'result') {
          result = { ...msg, cpu: cpu?.stop(), pgWaits: waits?.stop() };
          child.stdin.end();
        }
      }
    });
    child.once('close', (code) =>
      code === 0 && result
        ? resolve()
        : reject(new BenchError(`db-load ${c.op} ${c.mode} failed (exit ${code}):\n${err}`)),
    );
  });
  await done;
  if (c.op === 'reserve') ctx.created += result.ok + result.warmupOk;
  await sleep(1_100);
  const pgPerRequestRaw = perRequest(await countersP, await pgCounters(ctx), result.ok);
  const failures = [];
  if (result.refused > 0) failures.push(`guard refused: ${result.refused}`);
  if (result.errors > 0) failures.push(`errors: ${result.errors}`);
  return {
    requests: result.requests,
    seconds: result.elapsedMs / 1000,
    rps: result.rps,
    okRps: result.okRps,
    ok: result.ok,
    latencyMs: result.latencyMs,
    failures,
    pgPerRequest: pgPerRequestRaw,
    cpu: result.cpu,
    pgWaits: result.pgWaits,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Report

const fmt = (n, digits = 0) =>
  Number.isFinite(n)
    ? n.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits })
    : '-';
const fmtMs = (n) =>
  Number.isFinite(n) ? (n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : n.toFixed(0)) : '-';

function judge(results) {
  for (const r of results) {
    if (r.cpu && r.okRps) {
      // CPU time per successful request. Less sensitive to other load than the rates, but not immune: on a
      // busier machine each event-loop turn and each wakeup batches fewer requests, so each costs more.
      const own = ['storefront', 'process', 'hello-world', 'postgres', 'redis', 'load'].filter(
        (k) => r.cpu[k] > 0,
      );
      r.cpuMsPerRequest = Object.fromEntries(
        own.map((k) => [k, Math.round((10_000 * r.cpu[k]) / r.okRps) / 1000]),
      );
    }
  }
  for (const r of results) {
    const c = CASES.find((x) => x.name === r.case);
    if (!c.baseline) continue;
    const base = results.find((x) => x.case === c.baseline);
    r.baseline = c.baseline;
    r.target = c.minRatio
      ? `≥ ${Math.round(c.minRatio * 100)} % of ${c.baseline}${c.maxP99Ms ? `, p99 < ${c.maxP99Ms} ms` : ''}`
      : `(of ${c.baseline})`;
    if (!base || !base.okRps) {
      r.verdict = c.minRatio ? 'n/a' : '';
      continue;
    }
    r.ratio = r.okRps / base.okRps;
    if (!c.minRatio) {
      r.verdict = r.failures.length > 0 ? 'INVALID' : '';
      continue;
    }
    const met = r.ratio >= c.minRatio && (!c.maxP99Ms || r.latencyMs.p99 < c.maxP99Ms);
    r.verdict = r.failures.length > 0 ? 'INVALID' : met ? 'pass' : 'MISS';
  }
}

/**
 * CPU of other processes plus CPU the hypervisor gave to other guests (% of one core) above which a case's
 * figures are marked as disturbed.
 */
const NOISY = 15;
const noisy = (r) => (r.cpu ? r.cpu.foreign + (r.cpu.steal ?? 0) > NOISY : false);

function table(results) {
  const head = [
    'case',
    'ok req/s',
    'p50 ms',
    'p99 ms',
    'errors / non-2xx',
    'ratio',
    'target',
    'result',
    'other/stolen CPU',
  ];
  const rows = results.map((r) => [
    r.case,
    fmt(r.okRps),
    fmtMs(r.latencyMs.p50),
    fmtMs(r.latencyMs.p99),
    r.failures.length ? r.failures.join('; ') : '0',
    r.ratio !== undefined ? `${fmt(r.ratio * 100, 1)} %` : '',
    r.target ?? 'baseline',
    r.verdict ?? '',
    r.cpu ? `${r.cpu.foreign} / ${r.cpu.steal} %${noisy(r) ? ' NOISY' : ''}` : '',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => String(row[i]).length)));
  const numeric = [false, true, true, true, false, true, false, false, true];
  const line = (cells) =>
    cells
      .map((c, i) => (numeric[i] ? String(c).padStart(widths[i]) : String(c).padEnd(widths[i])))
      .join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function describeCpu(cpu) {
  if (!cpu) return '';
  const parts = Object.entries(cpu)
    .filter(([k, v]) => !['machine', 'capacity', 'foreign', 'steal', 'kernelShare'].includes(k) && v > 0)
    .sort((a, b) => b[1] - a[1])
    .map(
      ([k, v]) =>
        `${k} ${v}${cpu.kernelShare?.[k] !== undefined && v >= 10 ? ` (${cpu.kernelShare[k]} % kernel)` : ''}`,
    );
  return `CPU % of one core (machine ${cpu.machine} of ${cpu.capacity}, stolen by the hypervisor ${cpu.steal ?? 0}): ${parts.join(', ')}`;
}

// ---------------------------------------------------------------------------------------------------------

async function main() {
  const started = Date.now();
  takeLock();
  fs.mkdirSync(LOGS, { recursive: true });
  fs.mkdirSync(PROFILES, { recursive: true });
  wrkLog = path.join(LOGS, 'wrk.log');
  fs.writeFileSync(wrkLog, '');
  const unknown = [...cfg.only, ...cfg.profile].filter((n) => !CASES.some((c) => c.name === n));
  if (unknown.length)
    throw new BenchError(`unknown case ${unknown.join(', ')}; cases: ${CASES.map((c) => c.name).join(', ')}`);
  const cases = CASES.filter((c) => cfg.only.length === 0 || cfg.only.includes(c.name));

  const step = (msg) => console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${msg}`);
  ensureWrk();
  if (cfg.build) {
    step('building (node scripts/build.js)');
    runSync(process.execPath, [path.join(ROOT, 'scripts', 'build.js')]);
  }

  step(`fresh database ${cfg.databaseUrl.replace(/\/\/[^@]*@/, '//')} and Redis keys ${cfg.redisPrefix}*`);
  const database = await freshDatabase(cfg.databaseUrl);
  const redisVersion = await clearRedis(cfg.redisUrl, cfg.redisPrefix);
  step(
    `seeding ${cfg.skuCount.toLocaleString('en')} SKUs × ${cfg.skuStock.toLocaleString('en')} units + 2 hot SKUs × ${cfg.hotStock.toLocaleString('en')} at ${cfg.location}, channel ${cfg.channel}`,
  );
  const apiKey = await seed();

  const { Pool } = require('pg');
  const pg = new Pool({ connectionString: cfg.databaseUrl, max: 2, application_name: 'bench' });
  const {
    rows: [{ server_version: pgVersion }],
  } = await pg.query('SHOW server_version');
  const { rows: settings } = await pg.query(
    `SELECT name, setting FROM pg_settings WHERE name IN
       ('synchronous_commit', 'fsync', 'shared_buffers', 'max_connections', 'autovacuum', 'wal_sync_method')`,
  );
  const pgSettings = Object.fromEntries(settings.map((s) => [s.name, s.setting]));

  // The bulk load leaves dirty buffers and WAL to flush; then wait for the machine to settle. Anything still
  // busy skews every figure, so it is reported.
  await pg.query('CHECKPOINT').catch(() => undefined);
  const { CpuWindow } = require('./sampling');
  let background;
  for (let i = 0; i < 10; i++) {
    const idle = new CpuWindow({ postgres: (comm) => comm === 'postgres', bench: process.pid });
    await sleep(1_000);
    background = idle.stop();
    if (background.machine + background.steal <= 20) break;
  }

  const serviceToken = crypto.randomBytes(24).toString('hex');
  const ports = { hello: cfg.port, process: cfg.port + 1, storefront: cfg.port + 2 };
  const preload = cfg.profile.length ? ['-r', path.join(__dirname, 'profiler.js')] : [];
  const profileEnv = (label) =>
    cfg.profile.length ? { BENCH_PROFILE_DIR: PROFILES, BENCH_PROFILE_LABEL: label } : {};
  const appEnv = {
    DATABASE_URL: cfg.databaseUrl,
    REDIS_URL: cfg.redisUrl,
    REDIS_PREFIX: cfg.redisPrefix,
    SERVICE_TOKEN: serviceToken,
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    NODE_ENV: 'production',
  };

  step(
    `starting hello-world :${ports.hello}, process-reservations :${ports.process} (publishes all availability at boot), storefront :${ports.storefront}`,
  );
  const hello = startNode(
    'hello-world',
    [path.join(__dirname, 'hello.mjs'), 'fastify', String(ports.hello)],
    {},
  );
  const processApp = startNode(
    'process-reservations',
    [...preload, path.join(cfg.appsDist, 'apps/process-reservations/src/main.js')],
    {
      ...appEnv,
      PORT: String(ports.process),
      DB_POOL_SIZE: String(cfg.dbPool),
      ...profileEnv('process'),
    },
  );
  await Promise.all([
    waitHttp(hello, `http://127.0.0.1:${ports.hello}/`),
    waitHttp(processApp, `http://127.0.0.1:${ports.process}/health/ready`),
  ]);
  const storefront = startNode(
    'experience-storefront',
    [...preload, path.join(cfg.appsDist, 'apps/experience-storefront/src/main.js')],
    {
      ...appEnv,
      PORT: String(ports.storefront),
      PROCESS_RESERVATIONS_URL: `http://127.0.0.1:${ports.process}`,
      // Orders are not benchmarked: a closed port (order reads would answer 503).
      PROCESS_ALLOCATION_URL: 'http://127.0.0.1:1',
      // One key drives the whole load, far past a client's default limit: the bench measures the checkout
      // path, not the 429s (the limiter still runs: 0 means no limit, counted nowhere).
      RATE_LIMIT_PER_MINUTE: '0',
      ...profileEnv('storefront'),
    },
  );
  await waitHttp(storefront, `http://127.0.0.1:${ports.storefront}/health/ready`);
  // The read model must hold every SKU before availability is measured.
  const probe = await fetch(
    `http://127.0.0.1:${ports.storefront}/v1/availability?sku=${cfg.skuPrefix}09999&sku=${cfg.hotSku}`,
    {
      headers: { authorization: `Bearer ${apiKey}` },
    },
  );
  const probeBody = await probe.json();
  if (probe.status !== 200 || !probeBody.items?.every((i) => i.known && i.available > 0)) {
    throw new BenchError(
      `availability not published as expected: ${probe.status} ${JSON.stringify(probeBody)}`,
    );
  }

  const ctx = {
    runTag: `b${Date.now().toString(36)}${crypto.randomBytes(2).toString('hex')}`,
    ports,
    apiKey,
    pg,
    database,
    created: 0,
    wrkRuns: 0,
    apps: {
      process: { name: 'process', child: processApp },
      storefront: { name: 'storefront', child: storefront },
    },
    cpuGroups: {
      storefront: storefront.pid,
      process: processApp.pid,
      'hello-world': hello.pid,
      postgres: (comm) => comm === 'postgres' || comm.startsWith('postgres:'),
      redis: (comm) => comm.startsWith('redis-server'),
      bench: process.pid,
    },
  };

  const machineInfo = machine(pgVersion, pgSettings, redisVersion);
  const results = [];
  for (const c of cases) {
    step(
      `${c.name}: ${c.label} — ${cfg.warmup} s warm-up, ${cfg.seconds} s measured, ${cfg.connections} connections${cfg.profile.includes(c.name) ? ', CPU-profiled' : ''}`,
    );
    const speed = cpuSpeed();
    const r = c.kind === 'wrk' ? await runWrkCase(c, ctx) : await runDbCase(c, ctx);
    results.push({ case: c.name, label: c.label, cpuSpeedMBps: speed, ...r });
  }

  // The ledger must agree with what the clients were told: one reservation per 201 response, and the hot
  // SKU's reserved units equal to its reservation lines (the raw cases touch other rows or only add to
  // spread rows, so those are not compared).
  let consistency = null;
  if (cases.some((c) => c.mode?.startsWith('reserve') || c.op === 'reserve')) {
    const {
      rows: [check],
    } = await pg.query(
      `SELECT (SELECT count(*) FROM reservations)::int AS reservations,
              (SELECT coalesce(sum(quantity), 0) FROM reservation_lines)::int AS units,
              (SELECT coalesce(sum(quantity), 0) FROM reservation_lines WHERE sku = $1)::int AS hot_units,
              (SELECT reserved FROM stock_levels WHERE sku = $1)::int AS hot_reserved`,
      [cfg.hotSku],
    );
    // wrk stops with up to `connections` requests in flight per run; the platform completes them unseen.
    const unseen = ctx.wrkRuns * cfg.connections;
    consistency = {
      ...check,
      responses201: ctx.created,
      maxUnseen: unseen,
      ok:
        check.reservations >= ctx.created &&
        check.reservations <= ctx.created + unseen &&
        check.units === check.reservations &&
        check.hot_units === check.hot_reserved,
    };
  }

  judge(results);
  const report = {
    machine: machineInfo,
    settings: { ...cfg, only: undefined, profile: cfg.profile },
    backgroundCpu: background,
    results,
    consistency,
  };
  fs.writeFileSync(path.join(RESULTS, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
  fs.writeFileSync(
    path.join(RESULTS, `run-${machineInfo.date.replace(/[:.]/g, '-')}.json`),
    `${JSON.stringify(report, null, 2)}\n`,
  );

  await stopAll();
  await pg.end();

  const m = machineInfo;
  console.log('');
  console.log(
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB; ${m.os}; Node ${m.node}; PostgreSQL ${m.postgres}; Redis ${m.redis}; ${m.wrk}; Nest ${m.nest}, Fastify ${m.fastify}`,
  );
  console.log(
    `Code: commit ${m.commit || '?'} (${m.worktree})${cfg.appsDist !== path.join(ROOT, 'dist') ? `; apps run from ${cfg.appsDist}` : ''}`,
  );
  console.log(
    `Date: ${m.date}. ${cfg.seconds} s per case after ${cfg.warmup} s warm-up, ${cfg.connections} connections, wrk -t${cfg.threads}, process DB pool ${cfg.dbPool}. Background CPU before the run: ${background.machine} % of ${background.capacity} %, stolen ${background.steal} %.`,
  );
  if (background.machine + background.steal > 20) {
    console.log(
      `WARNING: the machine was busy before the run (${describeCpu(background)}); the figures are skewed.`,
    );
  }
  console.log('');
  console.log(table(results));
  console.log('');
  for (const r of results) {
    console.log(
      `${r.case}: ${r.label}; ${fmt(r.requests)} requests in ${r.seconds.toFixed(1)} s, p90 ${fmtMs(r.latencyMs.p90)} ms, max ${fmtMs(r.latencyMs.max)} ms`,
    );
    console.log(`  ${describeCpu(r.cpu)}; CPU speed index before the case ${r.cpuSpeedMBps} MB/s`);
    if (r.cpuMsPerRequest) {
      console.log(
        `  CPU ms per ok request: ${Object.entries(r.cpuMsPerRequest)
          .map(([k, v]) => `${k} ${v.toFixed(3)}`)
          .join(', ')}`,
      );
    }
    if (r.pgWaits?.length) {
      console.log(
        `  PostgreSQL sessions (average): ${r.pgWaits
          .slice(0, 6)
          .map((w) => `${w.sessions} ${w.state}`)
          .join('; ')}`,
      );
    }
    if (r.pgPerRequest) {
      const p = r.pgPerRequest;
      console.log(
        `  PostgreSQL per ${r.case.startsWith('pg') ? 'update' : 'request'}: ${p.commits} commits, ${p.inserted} rows inserted, ${p.updated} updated, ${p.wal_records} WAL records, ${fmt(p.wal_bytes)} WAL bytes (${p.wal_fpi} full-page images)`,
      );
    }
    if (r.published && r.ok) {
      const per = Object.entries(r.published).map(([k, v]) => `${k} ${(v / r.ok).toFixed(2)}`);
      console.log(`  availability figures published per reservation: ${per.join(', ')}`);
    }
    for (const p of r.profiles ?? []) {
      console.log(
        `  CPU profile of ${p.app} (${p.file}), idle ${p.idlePercent} %; busy self time by owner: ${p.owners
          .slice(0, 8)
          .map((x) => `${x.name} ${x.percent} %`)
          .join(', ')}`,
      );
      for (const f of p.functions.slice(0, 6))
        console.log(`      ${String(f.percent).padStart(5)} %  ${f.name}`);
      if (p.statementCount > 0) {
        console.log(
          `    SQL statements per request: ${(p.statementCount / r.ok).toFixed(2)}; by text (count per request, mean round trip ms):`,
        );
        for (const st of p.statements.slice(0, 12)) {
          console.log(
            `      ${(st.count / r.ok).toFixed(2).padStart(5)}  ${(st.ms / st.count).toFixed(2).padStart(6)} ms  ${st.text}`,
          );
        }
      }
    }
  }
  if (consistency) {
    console.log(
      `\nLedger check: ${consistency.reservations} reservations holding ${consistency.units} units, ${consistency.responses201} 201 responses seen (warm-ups included; up to ${consistency.maxUnseen} more were in flight when wrk stopped); ${cfg.hotSku} reserved ${consistency.hot_reserved} = ${consistency.hot_units} in lines: ${consistency.ok ? 'consistent' : 'INCONSISTENT'}`,
    );
  }
  const disturbed = results.filter(noisy);
  if (disturbed.length > 0) {
    console.log(
      `\nOther processes or the hypervisor took more than ${NOISY} % of a core during ${disturbed.map((r) => r.case).join(', ')}: ` +
        'those figures are disturbed; run again on a quiet machine.',
    );
  }
  const judged = results.filter(
    (r) => ['pass', 'MISS', 'INVALID'].includes(r.verdict) && CASES.find((c) => c.name === r.case).minRatio,
  );
  const invalid = results.filter((r) => r.failures.length > 0);
  console.log(
    `\nTargets met: ${judged.filter((r) => r.verdict === 'pass').length} of ${judged.length}. Results: bench/results/latest.json; logs: bench/results/logs/. Took ${Math.round((Date.now() - started) / 1000)} s.`,
  );
  if (invalid.length > 0 || (consistency && !consistency.ok)) {
    console.log(
      `The run is not valid: ${invalid.map((r) => `${r.case} (${r.failures.join('; ')})`).join(', ') || 'ledger inconsistent'}`,
    );
    process.exitCode = 1;
  }
}

main().catch(async (err) => {
  console.error(err instanceof BenchError ? `bench: ${err.message}` : err);
  await stopAll();
  process.exit(1);
});
