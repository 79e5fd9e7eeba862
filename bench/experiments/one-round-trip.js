'use strict';
// Experiment (not part of npm run bench): what a reservation's database work costs when it is sent in ONE
// round trip instead of one per statement. It sends the statements the ledger's reserve() sends for a
// one-line reservation (libs/ledger/src/reservations.ts and journal.ts as of commit 40e80a0: BEGIN, the
// idempotency claim, the candidates read, the reservation/lines/idempotency insert, the guarded stock move
// with its journal row, COMMIT) as a single simple-protocol query with the values inlined, so PostgreSQL
// runs the same statements back to back and the stock row stays locked only inside the server.
// The branching reserve() does on the results (replay, re-plan) is left out: every key is new and stock is
// ample. It approximates a reservation done by one PL/pgSQL function call or one statement.
// OMIT=reads,idempotency,journal (any of them) leaves those parts out, to see what each costs.
//
//   node bench/experiments/one-round-trip.js <database-url> <spread|hot> [seconds=10] [workers=50] [pool=20]
//
// Needs the benchmark database as npm run bench leaves it (sb_bench, seeded). Prints reservations/s,
// latency percentiles and the PostgreSQL CPU used.
const { randomUUID, randomBytes } = require('node:crypto');
const { Pool } = require('pg');
const { CpuWindow } = require('../sampling');

const [url, mode = 'spread', seconds = '10', workers = '50', poolSize = '20'] = process.argv.slice(2);
if (!url) {
  console.error(
    'usage: node bench/experiments/one-round-trip.js <database-url> <spread|hot> [seconds] [workers] [pool]',
  );
  process.exit(2);
}
const LOCATION = 'WH-BENCH';
const HOT = 'HOT-00001';
const tag = randomBytes(4).toString('hex');
let n = 0;

function reservationSql(lit, sku) {
  const id = randomUUID();
  const now = new Date();
  const expires = new Date(now.getTime() + 900_000);
  const principal = 'client:bench-one-trip';
  const key = `one-${tag}-${n++}`;
  const view = {
    id,
    channel: 'web',
    status: 'active',
    reference: null,
    expiresAt: expires.toISOString(),
    createdAt: now.toISOString(),
    lines: [{ sku, quantity: 1, location: LOCATION }],
  };
  const print = randomBytes(32).toString('hex');
  const [P, K, S, L] = [lit(principal), lit(key), lit(sku), lit(LOCATION)];
  const sql = `BEGIN;
    SELECT pg_try_advisory_xact_lock(hashtextextended(${P} || E'\\n' || ${K}, 0)) AS locked,
           r.fingerprint, r.response_status, r.response_body
    FROM (SELECT 1) one
    LEFT JOIN idempotency_records r ON r.principal = ${P} AND r.idempotency_key = ${K} AND r.expires_at > now();
    SELECT k.sku, s.location, (s.on_hand - s.reserved - s.allocated - s.damaged - s.quality_control - s.safety_stock) AS available
    FROM skus k LEFT JOIN stock_levels s ON s.sku = k.sku AND s.location = ANY(ARRAY[${L}]::text[])
    WHERE k.sku = ANY(ARRAY[${S}]::text[]);
    WITH r AS (
      INSERT INTO reservations (id, channel, status, reference, expires_at, created_at, updated_at, correlation_id)
      VALUES (${lit(id)}, 'web', 'active', NULL, ${lit(expires.toISOString())}, ${lit(now.toISOString())}, ${lit(now.toISOString())}, NULL)
    ), l AS (
      INSERT INTO reservation_lines (reservation_id, line_no, sku, location, quantity)
      SELECT ${lit(id)}, ord, sku, location, qty FROM unnest(ARRAY[${S}]::text[], ARRAY[${L}]::text[], ARRAY[1]::int[]) WITH ORDINALITY AS t(sku, location, qty, ord)
    )
    INSERT INTO idempotency_records (principal, idempotency_key, fingerprint, response_status, response_body, resource_id, expires_at)
    SELECT ${P}, ${K}, ${lit(print)}, 201, ${lit(JSON.stringify(view))}, ${lit(id)}, now() + make_interval(hours => 24)
    ON CONFLICT (principal, idempotency_key) DO UPDATE SET fingerprint = EXCLUDED.fingerprint,
      response_status = EXCLUDED.response_status, response_body = EXCLUDED.response_body,
      resource_id = EXCLUDED.resource_id, created_at = now(), expires_at = EXCLUDED.expires_at;
    WITH upd AS (
      UPDATE stock_levels s SET on_hand = s.on_hand + 0, reserved = s.reserved + 1, allocated = s.allocated + 0,
        damaged = s.damaged + 0, quality_control = s.quality_control + 0, incoming = s.incoming + 0,
        safety_stock = s.safety_stock + 0, version = s.version + 1, updated_at = now()
      WHERE s.sku = ${S} AND s.location = ${L}
        AND (s.on_hand - s.reserved - s.allocated - s.damaged - s.quality_control - s.safety_stock) >= 1
      RETURNING s.*
    ), mv AS (
      INSERT INTO stock_movements (movement_type, sku, location, d_on_hand, d_reserved, d_allocated, d_damaged,
        d_quality_control, d_incoming, d_safety_stock, level_version, source_system, source_event_id,
        reservation_id, reason, correlation_id, occurred_at)
      SELECT 'reserve', upd.sku, upd.location, 0, 1, 0, 0, 0, 0, 0, upd.version, 'platform', NULL,
        ${lit(id)}::uuid, NULL, NULL, ${lit(now.toISOString())}::timestamptz
      FROM upd
      RETURNING id
    )
    SELECT upd.*, (SELECT id FROM mv) AS movement_id FROM upd;
    COMMIT;`;
  return OMIT.length ? omit(sql) : sql;
}

// OMIT=reads (the claim and candidates SELECTs), idempotency (its INSERT), journal (the movement INSERT):
// leave parts out to see what each costs.
const OMIT = (process.env.OMIT ?? '').split(',').filter(Boolean);
function omit(sql) {
  const parts = sql.split(/;\n/);
  let out = parts;
  if (OMIT.includes('reads')) out = out.filter((p) => !/^\s*SELECT (pg_try|k\.sku)/.test(p));
  if (OMIT.includes('idempotency')) {
    out = out.map((p) =>
      p.includes('INSERT INTO idempotency_records')
        ? p.replace(/\)\s*INSERT INTO idempotency_records[\s\S]*$/, ') SELECT 1')
        : p,
    );
  }
  if (OMIT.includes('journal')) {
    out = out.map((p) =>
      p.includes('INSERT INTO stock_movements')
        ? p.replace(/, mv AS \([\s\S]*RETURNING id\s*\)/, '').replace('(SELECT id FROM mv)', 'NULL')
        : p,
    );
  }
  return out.join(';\n');
}

async function main() {
  const pool = new Pool({ connectionString: url, max: Number(poolSize), application_name: 'bench-one-trip' });
  const skus =
    mode === 'hot' ? [HOT] : Array.from({ length: 10_000 }, (_, i) => `SKU-${String(i).padStart(5, '0')}`);
  const run = async (ms) => {
    const end = performance.now() + ms;
    const latencies = [];
    let errors = 0;
    await Promise.all(
      Array.from({ length: Number(workers) }, async () => {
        while (performance.now() < end) {
          const t0 = performance.now();
          const client = await pool.connect();
          try {
            await client.query(
              reservationSql((v) => client.escapeLiteral(v), skus[(Math.random() * skus.length) | 0]),
            );
          } catch (err) {
            errors++;
            if (errors === 1) console.error(err.message);
            await client.query('ROLLBACK').catch(() => undefined);
          } finally {
            client.release();
          }
          latencies.push(performance.now() - t0);
        }
      }),
    );
    return { latencies, errors };
  };
  await run(2_000);
  const cpu = new CpuWindow({ postgres: (comm) => comm === 'postgres', client: process.pid });
  const t0 = performance.now();
  const { latencies, errors } = await run(Number(seconds) * 1000);
  const elapsed = (performance.now() - t0) / 1000;
  const used = cpu.stop();
  const sorted = Float64Array.from(latencies).sort();
  const pct = (p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
  const rps = latencies.length / elapsed;
  console.log(
    `${mode}: ${rps.toFixed(0)} reservations/s (${errors} errors), p50 ${pct(50).toFixed(1)} ms, p99 ${pct(99).toFixed(1)} ms; ` +
      `PostgreSQL ${used.postgres} % of a core = ${((used.postgres * 10) / rps).toFixed(2)} ms CPU per reservation; ` +
      `client ${used.client} %, machine ${used.machine} of ${used.capacity} %, other processes ${used.foreign} %`,
  );
  await pool.end();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
