'use strict';
// Preloaded (node -r bench/profiler.js) into an app when `BENCH_PROFILE` asks for profiles. The first
// SIGWINCH starts recording, the next one stops it and writes, for exactly that measured window:
//   $BENCH_PROFILE_DIR/$BENCH_PROFILE_LABEL-<n>.cpuprofile   the V8 sampling profile (n = 0, 1, …)
//   $BENCH_PROFILE_DIR/$BENCH_PROFILE_LABEL-<n>.pgtrace.json every SQL statement sent through `pg`: count and
//                                                            round-trip time per statement text
// Read a profile with `node bench/cpuprofile-top.js <file>` or Chrome DevTools.
// SIGWINCH because its default action is to do nothing, Nest's enableShutdownHooks() takes SIGUSR2 (it
// would shut the app down) and SIGUSR1 is Node's inspector switch.
const fs = require('node:fs');
const path = require('node:path');
const inspector = require('node:inspector');

const dir = process.env.BENCH_PROFILE_DIR;
const label = process.env.BENCH_PROFILE_LABEL ?? `pid${process.pid}`;

let statements = null; // Map of statement text → { count, ms } while recording

function tracePg() {
  let Client;
  try {
    ({ Client } = require(require.resolve('pg', { paths: [process.cwd()] })));
  } catch {
    return; // this app does not use pg
  }
  const query = Client.prototype.query;
  Client.prototype.query = function tracedQuery(config, values, callback) {
    const text =
      typeof config === 'string' ? config : config && typeof config.text === 'string' ? config.text : null;
    if (!statements || text === null) return query.call(this, config, values, callback);
    const flat = text.replace(/\s+/g, ' ').trim();
    const key = flat.length <= 110 ? flat : `${flat.slice(0, 70)} … ${flat.slice(-35)}`;
    const t0 = performance.now();
    const record = () => {
      if (!statements) return;
      const s = statements.get(key) ?? { count: 0, ms: 0 };
      s.count++;
      s.ms += performance.now() - t0;
      statements.set(key, s);
    };
    if (typeof values === 'function') {
      const cb = values;
      return query.call(this, config, (...a) => (record(), cb(...a)));
    }
    if (typeof callback === 'function') {
      const cb = callback;
      return query.call(this, config, values, (...a) => (record(), cb(...a)));
    }
    const result = query.call(this, config, values, callback);
    if (result && typeof result.then === 'function') result.then(record, record);
    return result;
  };
}

if (dir) {
  tracePg();
  const session = new inspector.Session();
  session.connect();
  let running = false;
  let n = 0;
  process.on('SIGWINCH', () => {
    if (!running) {
      running = true;
      statements = new Map();
      session.post('Profiler.enable', () => session.post('Profiler.start'));
      return;
    }
    running = false;
    const traced = statements;
    statements = null;
    session.post('Profiler.stop', (err, result) => {
      const file = path.join(dir, `${label}-${n++}`);
      const sorted = [...traced].sort((a, b) => b[1].count - a[1].count).map(([text, s]) => ({ text, ...s }));
      fs.writeFileSync(`${file}.pgtrace.json`, JSON.stringify(sorted, null, 1));
      if (err) {
        fs.writeFileSync(`${file}.cpuprofile.error`, String(err));
        return;
      }
      // Written under a temporary name and renamed, so that the bench never reads half a file.
      fs.writeFileSync(`${file}.cpuprofile.tmp`, JSON.stringify(result.profile));
      fs.renameSync(`${file}.cpuprofile.tmp`, `${file}.cpuprofile`);
    });
  });
}
