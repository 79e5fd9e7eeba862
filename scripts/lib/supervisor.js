'use strict';
// Keeps the apps of `npm start` running: an app that exits on its own is started again after a delay that
// grows with each crash (0.5 s, 1 s, 2 s, … up to 10 s); only an app that keeps crashing (5 times within
// 60 s) stops everything. Node built-ins only.

const DEFAULT_POLICY = Object.freeze({
  /** Crashes of one app within `windowMs` that make the supervisor give up. */
  maxCrashes: 5,
  windowMs: 60_000,
  initialDelayMs: 500,
  maxDelayMs: 10_000,
  /** How long `stop` waits for SIGTERM to work before SIGKILL. */
  stopTimeoutMs: 10_000,
});

/** How a process ended, in words: "signal SIGKILL", "exit status 1". */
function describeExit({ code, signal, error }) {
  if (error) return `could not be started: ${error.message}`;
  return signal ? `signal ${signal}` : `exit status ${code}`;
}

/**
 * Supervises named child processes. `start(name)` must spawn the app and return its ChildProcess (the
 * caller wires its output); the supervisor restarts it when it exits unexpectedly.
 *
 * Events, through the callbacks:
 * - `onRestarting(name, { exit, delayMs, crashes, policy })`: it crashed and will be started again;
 * - `onRestarted(name, child)`: it was started again;
 * - `onGiveUp(name, { exit, crashes, policy })`: it crashed too often; the supervisor is stopping everything.
 */
class Supervisor {
  constructor({ start, log = () => {}, policy = {}, onRestarting, onRestarted, onGiveUp }) {
    this.startApp = start;
    this.log = log;
    this.policy = { ...DEFAULT_POLICY, ...policy };
    this.onRestarting = onRestarting ?? (() => {});
    this.onRestarted = onRestarted ?? (() => {});
    this.onGiveUp = onGiveUp ?? (() => {});
    /** name → { child, crashes: number[] (times), timer, exited: Promise } */
    this.apps = new Map();
    this.stopping = null;
  }

  /** Starts an app and supervises it from now on. */
  add(name) {
    const entry = { child: null, crashes: [], timer: null, exited: Promise.resolve(), restarts: 0 };
    this.apps.set(name, entry);
    this.spawn(name, entry);
    return entry.child;
  }

  /** The app's current process (null while it waits for a restart). */
  child(name) {
    return this.apps.get(name)?.child ?? null;
  }

  /** How many times the app was started again. */
  restarts(name) {
    return this.apps.get(name)?.restarts ?? 0;
  }

  spawn(name, entry) {
    let child;
    try {
      child = this.startApp(name);
    } catch (error) {
      // Treated like a crash: the budget ends the attempts.
      setImmediate(() => this.crashed(name, entry, { error }));
      return;
    }
    entry.child = child;
    let settled = false;
    entry.exited = new Promise((resolve) => {
      const done = (how) => {
        if (settled) return;
        settled = true;
        if (entry.child === child) entry.child = null;
        resolve(how);
        if (!this.stopping) this.crashed(name, entry, how);
      };
      child.on('exit', (code, signal) => done({ code, signal }));
      // Could not be started at all: there will be no 'exit'.
      child.on('error', (error) => {
        if (child.pid === undefined) done({ error });
      });
    });
  }

  crashed(name, entry, exit) {
    if (this.stopping) return;
    const now = Date.now();
    entry.crashes = entry.crashes.filter((t) => now - t < this.policy.windowMs);
    entry.crashes.push(now);
    const crashes = entry.crashes.length;
    if (crashes >= this.policy.maxCrashes) {
      this.onGiveUp(name, { exit, crashes, policy: this.policy, describe: describeExit(exit) });
      return;
    }
    const delayMs = Math.min(this.policy.maxDelayMs, this.policy.initialDelayMs * 2 ** (crashes - 1));
    this.onRestarting(name, { exit, delayMs, crashes, policy: this.policy, describe: describeExit(exit) });
    entry.timer = setTimeout(() => {
      entry.timer = null;
      if (this.stopping) return;
      entry.restarts++;
      this.spawn(name, entry);
      if (entry.child) this.onRestarted(name, entry.child);
    }, delayMs);
  }

  /** SIGTERM to every app still running, SIGKILL to those still there after the timeout. Idempotent. */
  stop() {
    this.stopping ??= (async () => {
      const entries = [...this.apps.entries()];
      for (const [, entry] of entries) {
        if (entry.timer) clearTimeout(entry.timer);
        entry.timer = null;
      }
      const running = entries.filter(
        ([, e]) => e.child && e.child.exitCode === null && e.child.signalCode === null,
      );
      for (const [, entry] of running) entry.child.kill('SIGTERM');
      const allExited = Promise.all(running.map(([, e]) => e.exited));
      let timer;
      const timedOut = new Promise((resolve) => {
        timer = setTimeout(() => resolve(false), this.policy.stopTimeoutMs);
      });
      const inTime = await Promise.race([allExited.then(() => true), timedOut]);
      clearTimeout(timer);
      if (!inTime) {
        for (const [name, entry] of running) {
          if (entry.child && entry.child.exitCode === null && entry.child.signalCode === null) {
            this.log(`${name} did not stop within ${this.policy.stopTimeoutMs / 1000} s: killing it`);
            entry.child.kill('SIGKILL');
          }
        }
        await allExited;
      }
    })();
    return this.stopping;
  }

  /** Last resort (the supervising process is exiting): SIGKILL to whatever still runs. */
  killAll() {
    for (const entry of this.apps.values()) {
      if (entry.timer) clearTimeout(entry.timer);
      if (entry.child && entry.child.exitCode === null && entry.child.signalCode === null)
        entry.child.kill('SIGKILL');
    }
  }
}

module.exports = { Supervisor, DEFAULT_POLICY, describeExit };
