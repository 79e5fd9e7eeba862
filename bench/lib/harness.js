'use strict';
// What every benchmark script needs: its errors, numeric settings, child processes that are always stopped
// (at the end, on failure, on Ctrl-C), one benchmark at a time, waiting for readiness, the build's modules,
// a fresh bench database and a clean Redis prefix. Used by bench/run.js and bench/sync-lag.js.
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const RESULTS = path.join(ROOT, 'bench', 'results');
const LOGS = path.join(RESULTS, 'logs');

class BenchError extends Error {}

/** A positive number from the environment, or the default. */
const num = (name, dflt) => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return dflt;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new BenchError(`${name} must be a positive number (got "${raw}")`);
  return n;
};

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------------------
// Child processes: every one is registered so that it is stopped at the end, on failure and on Ctrl-C.

const children = new Set();
const state = { stopping: false, lockHeld: false };

function track(child) {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

function exited(child, ms) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

async function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  if (!(await exited(child, 8_000))) {
    child.kill('SIGKILL');
    await exited(child, 2_000);
  }
}

async function stopAll() {
  await Promise.all([...children].map(stopChild));
}

/** True once Ctrl-C (or SIGTERM) asked the benchmark to stop: loops end early. */
const isStopping = () => state.stopping;

// One benchmark at a time: two would share the CPUs (and, for the same script, the database and the ports).
const LOCK = path.join(RESULTS, '.lock');

process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
  if (state.lockHeld) fs.rmSync(LOCK, { force: true });
});

function takeLock() {
  fs.mkdirSync(RESULTS, { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(LOCK, String(process.pid), { flag: 'wx' });
      state.lockHeld = true;
      return;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      const pid = Number(fs.readFileSync(LOCK, 'utf8'));
      let alive = false;
      try {
        process.kill(pid, 0);
        alive = true;
      } catch {
        // no such process: a stale lock
      }
      if (alive) throw new BenchError(`another benchmark is running (pid ${pid}); wait for it to finish`);
      fs.rmSync(LOCK, { force: true });
    }
  }
  throw new BenchError(`cannot take ${LOCK}`);
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping the benchmark's processes`);
    state.stopping = true;
    void stopAll().finally(() => process.exit(130));
  });
}

function logTail(file, lines = 20) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** A Node process of ours, its output in bench/results/logs/<logName>.log. */
function startNode(name, args, env, logName = name) {
  fs.mkdirSync(LOGS, { recursive: true });
  const logFile = path.join(LOGS, `${logName}.log`);
  const out = fs.openSync(logFile, 'w');
  const child = track(
    spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', out, out],
    }),
  );
  fs.closeSync(out);
  child.logFile = logFile;
  child.label = name;
  return child;
}

async function waitHttp(child, url, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new BenchError(
        `${child.label} exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${logTail(child.logFile)}`,
      );
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(3_000) });
      last = `${res.status} ${(await res.text()).slice(0, 300)}`;
      if (res.status === 200) return;
    } catch (err) {
      last = err.message;
    }
    await sleep(200);
  }
  throw new BenchError(
    `${child.label} not ready at ${url} within ${timeoutMs / 1000} s (last: ${last}):\n${logTail(child.logFile)}`,
  );
}

function runSync(cmd, args, options = {}) {
  const res = spawnSync(cmd, args, { stdio: 'inherit', cwd: ROOT, ...options });
  if (res.error) throw new BenchError(`${cmd}: ${res.error.message}`);
  if (res.status !== 0) throw new BenchError(`${cmd} ${args.join(' ')} exited with ${res.status}`);
}

function git(args) {
  const res = spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' });
  return res.status === 0 ? res.stdout.trim() : '';
}

// ---------------------------------------------------------------------------------------------------------
// The build, the database, Redis

/** A module of the build (dist/). */
function dist(p) {
  const file = path.join(ROOT, 'dist', p);
  try {
    return require(file);
  } catch (err) {
    throw new BenchError(`cannot load ${path.relative(ROOT, file)} (run the build): ${err.message}`);
  }
}

/** Drops, recreates and migrates the bench database (only one whose name starts with sb_bench). */
async function freshDatabase(databaseUrl) {
  const name = decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
  if (!/^sb_bench\w*$/.test(name))
    throw new BenchError(`refusing to drop database "${name}": its name must start with sb_bench`);
  const { dropDatabase, ensureDatabase, migrate } = dist('libs/persistence/src');
  await dropDatabase(databaseUrl);
  await ensureDatabase(databaseUrl);
  await migrate(databaseUrl);
  return name;
}

/** Deletes every key under the prefix; returns the Redis version. */
async function clearRedis(redisUrl, prefix) {
  const { Redis } = require('ioredis');
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    const info = await redis.info('server');
    return /redis_version:(\S+)/.exec(info)?.[1] ?? '?';
  } finally {
    redis.disconnect();
  }
}

module.exports = {
  ROOT,
  RESULTS,
  LOGS,
  BenchError,
  num,
  sleep,
  track,
  exited,
  stopChild,
  stopAll,
  isStopping,
  takeLock,
  logTail,
  startNode,
  waitHttp,
  runSync,
  git,
  dist,
  freshDatabase,
  clearRedis,
};
