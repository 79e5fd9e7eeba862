'use strict';
// Load on the ledger's database without HTTP, by N concurrent workers for D seconds:
//
//   op "update":  the raw baseline of a reservation — the ledger's conditional UPDATE (the never-oversell
//                 guard of libs/ledger/src/journal.ts) issued straight through `pg`, autocommit, over a pool
//                 of N connections; nothing else (no journal row, no reservation, no idempotency record).
//   op "reserve": the ledger's own Reservations.reserve() (dist/libs/ledger) called in this process over a
//                 pool of `poolSize` connections, as process-reservations calls it, minus HTTP, Nest and the
//                 availability publishing: a diagnostic that splits a reservation's cost between the
//                 database transaction and the two HTTP hops.
//
//   node bench/db-load.js '{"url":"postgres://…","op":"update"|"reserve","connections":50,"poolSize":20,
//                           "seconds":10,"warmupSeconds":2,"location":"WH-BENCH","channel":"web",
//                           "skus":["SKU-00000",…]}'
//
// Prints one JSON line {"phase":"measure"} when the measured window starts and one JSON result line when it
// ends; then keeps its connections open until stdin closes, so that the caller can account the CPU of the
// PostgreSQL backends over exactly that window.
const path = require('node:path');
const { randomBytes } = require('node:crypto');
const { Pool } = require('pg');

const UPDATE = `UPDATE stock_levels SET reserved = reserved + 1
  WHERE sku = $1 AND location = $2
    AND (on_hand - reserved - allocated - damaged - quality_control - safety_stock) >= 1`;

function operation(opts, pool) {
  if (opts.op === 'update') {
    return async (sku) =>
      (await pool.query(UPDATE, [sku, opts.location])).rowCount === 1 ? 'ok' : 'refused';
  }
  require('reflect-metadata');
  const { Catalog, Db, Reservations, SingleLocationFirstSourcing } = require(
    path.join(__dirname, '..', 'dist', 'libs', 'ledger', 'src'),
  );
  const db = new Db(pool);
  const reservations = new Reservations(db, new Catalog(db), new SingleLocationFirstSourcing());
  const tag = randomBytes(4).toString('hex');
  let n = 0;
  return async (sku) => {
    const out = await reservations.reserve({
      channel: opts.channel,
      lines: [{ sku, quantity: 1 }],
      ttlSeconds: 900,
      reference: null,
      correlationId: null,
      idempotency: { principal: 'client:bench-direct', key: `direct-${tag}-${n++}`, retentionHours: 24 },
    });
    return out.kind === 'held' ? 'ok' : 'refused';
  };
}

async function main() {
  const opts = JSON.parse(process.argv[2]);
  const poolSize = opts.op === 'update' ? opts.connections : opts.poolSize;
  const pool = new Pool({ connectionString: opts.url, max: poolSize, application_name: `bench-${opts.op}` });
  // Open every connection before measuring.
  const clients = await Promise.all(Array.from({ length: poolSize }, () => pool.connect()));
  for (const c of clients) c.release();
  const op = operation(opts, pool);

  const skus = opts.skus;
  const pick = () => skus[(Math.random() * skus.length) | 0];
  const run = async (ms, record) => {
    const end = performance.now() + ms;
    let ok = 0;
    let refused = 0;
    let errors = 0;
    const latencies = [];
    const worker = async () => {
      while (performance.now() < end) {
        const t0 = performance.now();
        try {
          if ((await op(pick())) === 'ok') ok++;
          else refused++;
        } catch (err) {
          errors++;
          if (errors === 1) console.error(`db-load: ${err.message}`);
        }
        if (record) latencies.push(performance.now() - t0);
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: opts.connections }, worker));
    return { ok, refused, errors, latencies, elapsedMs: performance.now() - started };
  };

  const warm = opts.warmupSeconds > 0 ? await run(opts.warmupSeconds * 1000, false) : { ok: 0 };
  console.log(JSON.stringify({ phase: 'measure' }));
  const r = await run(opts.seconds * 1000, true);
  const sorted = Float64Array.from(r.latencies).sort();
  const pct = (p) =>
    sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN;
  const total = r.ok + r.refused + r.errors;
  console.log(
    JSON.stringify({
      phase: 'result',
      requests: total,
      rps: total / (r.elapsedMs / 1000),
      okRps: r.ok / (r.elapsedMs / 1000),
      ok: r.ok,
      warmupOk: warm.ok,
      refused: r.refused,
      errors: r.errors,
      elapsedMs: r.elapsedMs,
      latencyMs: { p50: pct(50), p90: pct(90), p99: pct(99), max: sorted[sorted.length - 1] ?? NaN },
    }),
  );
  await new Promise((resolve) => {
    process.stdin.on('data', resolve);
    process.stdin.on('end', resolve);
    process.stdin.on('error', resolve);
    process.stdin.resume();
  });
  await pool.end();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
