'use strict';
// Installs the dependencies when they are missing or stale, then moves the running script onto the
// project's pinned Node 22 (the `node` dev dependency). Node built-ins only: this runs before node_modules
// exists, on whatever Node the user has.
const fs = require('node:fs');
const path = require('node:path');
const {
  root,
  localBin,
  log,
  UserError,
  pathWithLocalBin,
  pathWithoutLocalBin,
  runSync,
  runForeground,
  exitLike,
  seconds,
} = require('./run');

const NODE_MAJOR = 22;
const REEXEC_MARK = 'STOCKBRIDGE_REEXEC';

function mtimeMs(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return null;
  }
}

/** Why the dependencies of the project in `dir` must be (re)installed, or null when they are current. */
function installReason(dir = root) {
  const modules = path.join(dir, 'node_modules');
  if (!fs.existsSync(modules)) return 'node_modules is missing';
  // npm rewrites node_modules/.package-lock.json at the end of every install: its age is the install's.
  const installed = mtimeMs(path.join(modules, '.package-lock.json'));
  if (installed === null) return 'node_modules was not installed by npm (no node_modules/.package-lock.json)';
  const lock = mtimeMs(path.join(dir, 'package-lock.json'));
  if (lock !== null && installed < lock) return 'package-lock.json changed since the last install';
  const manifest = mtimeMs(path.join(dir, 'package.json'));
  if (lock === null && manifest !== null && installed < manifest)
    return 'package.json changed since the last install';
  return null;
}

/** The install command for `dir`: the lockfile's exact tree when there is one. */
function installCommand(dir = root) {
  return fs.existsSync(path.join(dir, 'package-lock.json')) ? ['npm', 'ci'] : ['npm', 'install'];
}

/**
 * Runs `npm ci` (or `npm install` without a lockfile) when needed. Returns what it did, for tests:
 * `{ reason, command, ran }`; with `dryRun` it only decides.
 */
function ensureDeps({ dir = root, dryRun = false } = {}) {
  const reason = installReason(dir);
  if (!reason) return { reason: null, command: null, ran: false };
  const [npm, ...args] = installCommand(dir);
  if (dryRun) return { reason, command: [npm, ...args], ran: false };
  log(`installing dependencies (${reason}): ${npm} ${args.join(' ')}`);
  const started = Date.now();
  const status = runSync(npm, args, {
    cwd: dir,
    // npm ci deletes node_modules, Node 22 binary included: let npm run on the Node from the user's PATH.
    env: { ...process.env, PATH: pathWithoutLocalBin() },
  });
  if (status !== 0) throw new UserError(`${npm} ${args.join(' ')} failed (exit status ${status})`);
  log(`dependencies installed in ${seconds(Date.now() - started)} s`);
  return { reason, command: [npm, ...args], ran: true };
}

/**
 * Continues on Node 22, or re-runs `scriptPath` with node_modules/.bin/node and ends this process the way
 * that run ends (the returned promise then never resolves). Also puts node_modules/.bin first on PATH, as
 * npm scripts do, so that everything started from here runs on the same Node.
 */
async function ensureNode22(scriptPath, args = process.argv.slice(2)) {
  process.env.PATH = pathWithLocalBin();
  const major = Number(process.versions.node.split('.')[0]);
  if (major === NODE_MAJOR) {
    delete process.env[REEXEC_MARK];
    return;
  }
  const node = path.join(localBin, 'node');
  // A guard against re-running forever should node_modules/.bin/node not be Node 22.
  if (process.env[REEXEC_MARK]) {
    throw new UserError(
      `node_modules/.bin/node is Node ${process.versions.node}, not ${NODE_MAJOR}: reinstall with npm ci`,
    );
  }
  if (!fs.existsSync(node)) {
    throw new UserError(
      `Node ${NODE_MAJOR} is needed (this is ${process.version}) and node_modules/.bin/node, which the 'node' dev ` +
        `dependency provides, is missing: run npm ci, or run this with Node ${NODE_MAJOR}`,
    );
  }
  log(`running on the project's Node ${NODE_MAJOR} (node_modules/.bin/node) instead of ${process.version}`);
  const outcome = await runForeground(node, [scriptPath, ...args], {
    env: { ...process.env, [REEXEC_MARK]: '1' },
  });
  exitLike(outcome);
  return new Promise(() => {});
}

module.exports = { ensureDeps, ensureNode22, installReason, installCommand };

// `node scripts/lib/ensure-deps.js --check [dir]`: prints the decision without installing anything.
if (require.main === module) {
  const [flag, dir] = process.argv.slice(2);
  if (flag !== '--check') {
    console.error('usage: node scripts/lib/ensure-deps.js --check [project dir]');
    process.exit(2);
  }
  const decision = ensureDeps({ dir: dir ? path.resolve(dir) : root, dryRun: true });
  console.log(
    decision.reason
      ? `would run ${decision.command.join(' ')}: ${decision.reason}`
      : 'dependencies are up to date',
  );
}
