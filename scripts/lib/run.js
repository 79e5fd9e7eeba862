'use strict';
// Small process helpers shared by the start, test and cli scripts. Node built-ins only: this runs on
// whatever Node the user has, before the dependencies are installed.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..', '..');
const localBin = path.join(root, 'node_modules', '.bin');

/** Progress goes to stderr so that stdout stays clean for what the commands themselves print (cli --json). */
function log(message) {
  process.stderr.write(`[stockbridge] ${message}\n`);
}

/** A failure the user can act on: printed as one message, without a stack trace. */
class UserError extends Error {}

/** Runs a script's async main; a UserError ends it with its message and exit status 1. */
function main(fn) {
  fn().catch((err) => {
    if (err instanceof UserError) log(err.message);
    else console.error(err);
    process.exit(1);
  });
}

/** Is `command` an executable somewhere on PATH? */
function commandExists(command) {
  return (process.env.PATH || '').split(path.delimiter).some((dir) => {
    try {
      fs.accessSync(path.join(dir || '.', command), fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** PATH with node_modules/.bin first, as npm scripts have it, so tools run on the project's pinned Node. */
function pathWithLocalBin(currentPath = process.env.PATH || '') {
  const rest = currentPath.split(path.delimiter).filter((dir) => dir && path.resolve(dir) !== localBin);
  return [localBin, ...rest].join(path.delimiter);
}

/** PATH without node_modules/.bin: for `npm ci`, which deletes the Node binary that lives there. */
function pathWithoutLocalBin(currentPath = process.env.PATH || '') {
  return currentPath
    .split(path.delimiter)
    .filter((dir) => dir && path.resolve(dir) !== localBin)
    .join(path.delimiter);
}

/** spawnSync with output shown (on stderr by default, keeping stdout clean); returns the exit status. */
function runSync(command, args, { stdout = 'stderr', ...options } = {}) {
  const result = spawnSync(command, args, {
    stdio: ['inherit', stdout === 'stderr' ? 2 : 'inherit', 'inherit'],
    ...options,
  });
  if (result.error) throw new UserError(`could not run ${command}: ${result.error.message}`);
  return result.signal ? 128 + (os.constants.signals[result.signal] || 0) : result.status;
}

const FORWARDED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Runs a command in the foreground and resolves with how it ended. Signals sent to us (npm forwards
 * SIGTERM to the script it runs; `kill` targets one pid) are passed on, so the child can stop cleanly
 * instead of being orphaned; while the child runs, they do not end this process.
 */
function runForeground(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'inherit', ...options });
    const forward = (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    };
    const cleanup = () => FORWARDED_SIGNALS.forEach((s) => process.removeListener(s, forward));
    FORWARDED_SIGNALS.forEach((s) => process.on(s, forward));
    child.on('error', (err) => {
      cleanup();
      reject(new UserError(`could not run ${command}: ${err.message}`));
    });
    child.on('exit', (code, signal) => {
      cleanup();
      resolve({ code, signal });
    });
  });
}

/** Ends this process the way a child ended: same exit status, or the same signal. */
function exitLike({ code, signal }) {
  if (signal) {
    FORWARDED_SIGNALS.forEach((s) => process.removeAllListeners(s));
    process.kill(process.pid, signal);
    // Only reached if the signal does not end the process by default.
    setTimeout(() => process.exit(128 + (os.constants.signals[signal] || 0)), 100);
    return;
  }
  process.exit(code ?? 1);
}

function seconds(ms) {
  return (ms / 1000).toFixed(1);
}

module.exports = {
  root,
  localBin,
  log,
  UserError,
  main,
  commandExists,
  isRoot,
  pathWithLocalBin,
  pathWithoutLocalBin,
  runSync,
  runForeground,
  exitLike,
  seconds,
  FORWARDED_SIGNALS,
};
