'use strict';
// Finds, starts or installs the PostgreSQL and Redis that the platform and its tests need (docs/architecture.md#running-and-scaling-out:
// real services always, the machine's own when present). Runs after ensureDeps, so it may use `pg` and
// `ioredis`; they are required lazily, because the scripts load this file before installing them.
// Longer than 400 lines on purpose: finding, starting and installing each service on each kind of machine is
// one decision tree, kept in one place so that npm start and npm test make the same choices.
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { log, UserError, commandExists, isRoot, runSync } = require('./run');

const LOCALHOST = '127.0.0.1';
const PG_PORT = 5432;
const REDIS_PORT = 6379;
const WAIT_MS = 30_000;
// Used only when a fresh Debian install of ours leaves the postgres role without a password (see postgresLogin).
const LOCAL_PG_PASSWORD = 'postgres';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Does host:port accept a TCP connection? */
function canConnect(host, port, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function waitForPort(host, port, what, timeoutMs = WAIT_MS) {
  const deadline = Date.now() + timeoutMs;
  while (!(await canConnect(host, port))) {
    if (Date.now() > deadline)
      throw new UserError(
        `${what} did not accept connections on ${host}:${port} within ${timeoutMs / 1000} s`,
      );
    await sleep(250);
  }
}

/** The URL with its password masked, for messages. */
function redact(value) {
  try {
    const url = new URL(value);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '(unparsable URL)';
  }
}

/** host and port of a URL given in the environment, or null when it names a Unix socket. */
function tcpAddress(name, value, defaultPort) {
  let url;
  try {
    url = new URL(value);
  } catch {
    throw new UserError(`${name} is not a valid URL`);
  }
  const host = decodeURIComponent(url.hostname).replace(/^\[(.*)\]$/, '$1');
  if (
    !host ||
    host.startsWith('/') ||
    url.searchParams.get('host')?.startsWith('/') ||
    url.protocol.includes('unix')
  )
    return null;
  return { host, port: Number(url.port) || defaultPort };
}

async function checkGivenUrl(name, value, defaultPort) {
  const address = tcpAddress(name, value, defaultPort);
  if (address && !(await canConnect(address.host, address.port, 3000))) {
    throw new UserError(
      `${name} is set to ${redact(value)}, but nothing answers on ${address.host}:${address.port}: start that server, or fix or unset ${name}`,
    );
  }
  return value;
}

// ---------------------------------------------------------------------------------------------- PostgreSQL

function canUseApt() {
  return isRoot() && commandExists('apt-get');
}

function aptInstall(packages) {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  log(`installing ${packages.join(', ')} with apt-get`);
  if (runSync('apt-get', ['update'], { env }) !== 0)
    log('apt-get update failed; trying the install all the same');
  const status = runSync('apt-get', ['install', '-y', ...packages], { env });
  if (status !== 0)
    throw new UserError(`apt-get install -y ${packages.join(' ')} failed (exit status ${status})`);
}

/**
 * Runs a command that starts a daemon. Its output goes to a file, not to our stdout/stderr: a daemon that
 * kept our pipes open would keep whoever reads them (CI, `| tee`) waiting after we have finished.
 */
function startDaemon(name, command, args, options = {}) {
  const logFile = path.join(os.tmpdir(), `stockbridge-${name}-start.log`);
  const fd = fs.openSync(logFile, 'w');
  try {
    const result = spawnSync(command, args, { stdio: ['ignore', fd, fd], ...options });
    if (result.error) throw new UserError(`could not run ${command}: ${result.error.message}`);
    return { status: result.status, output: fs.readFileSync(logFile, 'utf8').trim() };
  } finally {
    fs.closeSync(fd);
  }
}

/** The Debian cluster (postgresql-common) that listens on `port`, from pg_lsclusters; null if none. */
function findCluster(port) {
  if (!commandExists('pg_lsclusters')) return null;
  const result = spawnSync('pg_lsclusters', ['--no-header'], { encoding: 'utf8' });
  if (result.status !== 0) return null;
  // Ver Cluster Port Status Owner Data-directory Log-file
  const clusters = result.stdout
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((f) => f.length >= 4 && Number(f[2]) === port)
    .map(([version, name, , status]) => ({ version, name, online: status.startsWith('online') }));
  return clusters.find((c) => c.name === 'main') ?? clusters[0] ?? null;
}

/** The newest PostgreSQL server version whose binaries Debian's packages installed, or null. */
function installedServerVersion() {
  const dir = '/usr/lib/postgresql';
  if (!fs.existsSync(dir)) return null;
  const versions = fs
    .readdirSync(dir)
    .filter((v) => fs.existsSync(path.join(dir, v, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ?? null;
}

function noPostgres(why) {
  return new UserError(
    `${why}. Set DATABASE_URL to a PostgreSQL 15+ server (postgres://user:password@host:5432/db), ` +
      `or install PostgreSQL (as root: apt-get install postgresql) and run this again.`,
  );
}

/** Starts the local cluster on `port`, installing PostgreSQL first when it is missing and we may. */
function startPostgres(port) {
  let cluster = findCluster(port);
  if (!cluster && !installedServerVersion()) {
    if (!canUseApt()) {
      throw noPostgres(
        `PostgreSQL does not answer on ${LOCALHOST}:${port}; no Debian-packaged PostgreSQL is here to start, ` +
          `and installing one needs root and apt-get`,
      );
    }
    aptInstall(['postgresql']);
    cluster = findCluster(port);
  }
  if (!cluster) {
    // Server binaries but no cluster on the port (dropped, or created elsewhere): make one as the package would.
    const version = installedServerVersion();
    if (!version || !isRoot() || !commandExists('pg_createcluster')) {
      throw noPostgres(
        `PostgreSQL does not answer on ${LOCALHOST}:${port} and there is no cluster for that port to start`,
      );
    }
    log(`creating PostgreSQL cluster ${version}/main on port ${port}`);
    const created = startDaemon('postgres', 'pg_createcluster', [version, 'main', '--port', String(port)]);
    if (created.status !== 0) throw noPostgres(`pg_createcluster failed:\n${created.output}`);
    cluster = findCluster(port);
    if (!cluster) throw noPostgres(`pg_createcluster did not create a cluster on port ${port}`);
  }
  if (cluster.online) {
    // apt-get's post-install script may have just started it; otherwise it runs but not on 127.0.0.1.
    return;
  }
  const args = ['--skip-systemctl-redirect', cluster.version, cluster.name, 'start'];
  log(`starting PostgreSQL: pg_ctlcluster ${args.join(' ')}`);
  const started = startDaemon('postgres', 'pg_ctlcluster', args);
  if (started.status !== 0) {
    throw noPostgres(
      `pg_ctlcluster could not start PostgreSQL ${cluster.version}/${cluster.name}${isRoot() ? '' : ' (run it as root?)'}:\n${started.output}`,
    );
  }
}

function isAuthError(err) {
  // 28P01 wrong password, 28000 no pg_hba line / ident failure; pg raises the SASL error itself when the
  // server asks for a password and the URL has none.
  return err.code === '28P01' || err.code === '28000' || /SASL|password/i.test(err.message);
}

function isTransient(err) {
  // 57P03: "the database system is starting up" (or shutting down, during a restart).
  return (
    ['57P03', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE'].includes(err.code) ||
    /timeout|terminated/i.test(err.message)
  );
}

/** Connects and runs SELECT 1, waiting through a server start; resolves with null or the final error. */
async function trySelect1(connectionString, timeoutMs = WAIT_MS) {
  const { Client } = require('pg');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = new Client({ connectionString, connectionTimeoutMillis: 3000 });
    client.on('error', () => {}); // errors after connect surface through the query instead
    try {
      await client.connect();
      await client.query('SELECT 1');
      return null;
    } catch (err) {
      if (!isTransient(err) || Date.now() > deadline) return err;
    } finally {
      await client.end().catch(() => {});
    }
    await sleep(250);
  }
}

/** Runs SQL through psql as the postgres OS user (peer authentication on the local socket). */
function psqlAsPostgres(sql, port) {
  const result = spawnSync(
    'su',
    ['postgres', '-s', '/bin/sh', '-c', `psql -X -q -A -t -v ON_ERROR_STOP=1 -p ${port}`],
    {
      input: sql,
      encoding: 'utf8',
      cwd: '/', // psql complains when it cannot enter the caller's directory
    },
  );
  return {
    ok: result.status === 0,
    stdout: (result.stdout || '').trim(),
    stderr: (result.stderr || '').trim(),
  };
}

/**
 * The base URL (no database) on which the local server lets us in as the postgres role.
 *
 * This machine's kind uses trust on 127.0.0.1, so the password-less URL works. A fresh Debian install uses
 * scram-sha-256 on 127.0.0.1 and gives the postgres role no password, so no TCP login can work at all. There
 * we give the role the well-known local password instead of adding a trust line: pg_hba.conf stays the
 * distribution's, and a role without a password cannot have been in use over TCP by anyone else. We never
 * change a role that has a password already.
 */
async function postgresLogin(port) {
  const plain = `postgres://postgres@${LOCALHOST}:${port}`;
  const withPassword = `postgres://postgres:${LOCAL_PG_PASSWORD}@${LOCALHOST}:${port}`;
  let err = await trySelect1(`${plain}/postgres`);
  if (!err) return plain;
  if (!isAuthError(err))
    throw noPostgres(`PostgreSQL on ${LOCALHOST}:${port} does not answer SELECT 1 (${err.message})`);
  err = await trySelect1(`${withPassword}/postgres`);
  if (!err) return withPassword;

  if (isRoot() && commandExists('su') && commandExists('psql')) {
    const check = psqlAsPostgres(
      "SELECT rolpassword IS NULL FROM pg_authid WHERE rolname = 'postgres';",
      port,
    );
    if (check.ok && check.stdout === 't') {
      log(
        `PostgreSQL asks for a password on ${LOCALHOST} and the postgres role has none: setting it to '${LOCAL_PG_PASSWORD}'`,
      );
      const set = psqlAsPostgres(`ALTER ROLE postgres PASSWORD '${LOCAL_PG_PASSWORD}';`, port);
      err = set.ok ? await trySelect1(`${withPassword}/postgres`) : new Error(set.stderr);
      if (!err) return withPassword;
    }
  }
  throw new UserError(
    `PostgreSQL on ${LOCALHOST}:${port} does not let the postgres role in, neither without a password nor with ` +
      `'${LOCAL_PG_PASSWORD}' (${err.message}). Set DATABASE_URL with credentials that work ` +
      `(postgres://user:password@${LOCALHOST}:${port}/db).`,
  );
}

async function ensureLocalPostgres(database, port = PG_PORT) {
  if (!(await canConnect(LOCALHOST, port))) {
    startPostgres(port);
    await waitForPort(LOCALHOST, port, 'PostgreSQL');
  }
  return `${await postgresLogin(port)}/${database}`;
}

// ---------------------------------------------------------------------------------------------------- Redis

async function ensureLocalRedis(port = REDIS_PORT) {
  const url = `redis://${LOCALHOST}:${port}`;
  if (await canConnect(LOCALHOST, port)) return { url, ours: false };
  if (!commandExists('redis-server')) {
    if (!canUseApt()) {
      throw new UserError(
        `Redis does not answer on ${LOCALHOST}:${port} and is not installed. Set REDIS_URL to a Redis 7 server ` +
          `(redis://host:6379) running with maxmemory-policy noeviction, or install Redis (as root: apt-get install redis-server).`,
      );
    }
    aptInstall(['redis-server']);
  }
  // The package's own service may be up by now; if not, start one that keeps nothing on disk.
  if (!(await canConnect(LOCALHOST, port))) {
    const args = [
      '--daemonize',
      'yes',
      '--bind',
      LOCALHOST,
      '--port',
      String(port),
      '--save',
      '',
      '--appendonly',
      'no',
    ];
    log(`starting Redis: redis-server ${args.map((a) => (a === '' ? '""' : a)).join(' ')}`);
    // cwd: Redis's working directory, where it would write any file; never the repository.
    const started = startDaemon('redis', 'redis-server', args, { cwd: os.tmpdir() });
    if (started.status !== 0)
      throw new UserError(`redis-server could not start (exit status ${started.status}):\n${started.output}`);
    await waitForPort(LOCALHOST, port, 'Redis');
  }
  return { url, ours: true };
}

function loudWarning(lines) {
  const bar = '!'.repeat(100);
  for (const line of [bar, ...lines, bar]) log(line);
}

/**
 * Checks that Redis answers and does not evict keys. BullMQ queues and the availability read model lose data
 * under eviction (and the apps report not ready), so a Redis we started is switched to noeviction; another
 * one only gets a warning: it is not ours to reconfigure.
 */
async function checkRedis(url, ours) {
  const { Redis } = require('ioredis');
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 5000,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  redis.on('error', () => {}); // the awaited calls below report failures
  try {
    try {
      await redis.connect();
      await redis.ping();
    } catch (err) {
      throw new UserError(
        `Redis at ${redact(url)} does not answer PING (${err.message}): start it, or fix or set REDIS_URL`,
      );
    }
    let policy;
    try {
      [, policy] = await redis.config('GET', 'maxmemory-policy');
    } catch (err) {
      log(`could not read Redis's maxmemory-policy (${err.message}); make sure it is noeviction`);
      return;
    }
    if (policy === 'noeviction') return;
    if (ours) {
      await redis.config('SET', 'maxmemory-policy', 'noeviction');
      log(`set Redis maxmemory-policy from ${policy} to noeviction`);
      return;
    }
    loudWarning([
      `WARNING: Redis at ${redact(url)} runs with maxmemory-policy ${policy}, not noeviction.`,
      'Under memory pressure it deletes keys: BullMQ jobs and availability read-model figures are lost,',
      'and the apps report not ready. Fix it with: CONFIG SET maxmemory-policy noeviction (and in its config file).',
    ]);
  } finally {
    redis.disconnect();
  }
}

// -------------------------------------------------------------------------------------------------- entry

/**
 * The PostgreSQL and Redis to use: the given URLs (DATABASE_URL, REDIS_URL by default) when set, checked to
 * answer; otherwise the local servers, started or installed when needed. `database` is the database the local
 * URL names; a given DATABASE_URL is used as it is (the apps' migrate step creates its database).
 * `announce: false` leaves out the closing line naming both (for the CLI, whose output is the point).
 */
async function ensureServices({
  database,
  databaseUrl = process.env.DATABASE_URL,
  redisUrl = process.env.REDIS_URL,
  announce = true,
} = {}) {
  if (!database) throw new Error('ensureServices: database is required');
  const DATABASE_URL = databaseUrl
    ? await checkGivenUrl('DATABASE_URL', databaseUrl, PG_PORT)
    : await ensureLocalPostgres(database);
  const redis = redisUrl
    ? { url: await checkGivenUrl('REDIS_URL', redisUrl, REDIS_PORT), ours: false }
    : await ensureLocalRedis();
  await checkRedis(redis.url, redis.ours);
  if (announce) log(`PostgreSQL: ${redact(DATABASE_URL)}  Redis: ${redact(redis.url)}`);
  return { DATABASE_URL, REDIS_URL: redis.url };
}

module.exports = {
  ensureServices,
  canConnect,
  redact,
  _internal: { ensureLocalPostgres, ensureLocalRedis, checkRedis, findCluster },
};
