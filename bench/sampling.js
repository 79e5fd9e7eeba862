'use strict';
// What the machine and PostgreSQL do during a measured window: CPU per process group (from /proc) and what
// the benchmark database's sessions are waiting on (from pg_stat_activity).
const fs = require('node:fs');
const os = require('node:os');

const TICKS_PER_SECOND = 100; // USER_HZ; 100 on every Linux this runs on

function readMachineTicks() {
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0];
  // user nice system idle iowait irq softirq steal (guest time is already inside user and nice)
  const v = line.trim().split(/\s+/).slice(1, 9).map(Number);
  const idle = v[3] + (v[4] ?? 0);
  const steal = v[7] ?? 0;
  const total = v.reduce((a, b) => a + b, 0);
  return { busy: total - idle - steal, steal, total };
}

function readProcesses() {
  const out = new Map();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const fields = stat.slice(close + 2).split(' ');
      // fields[0] is field 3 (state), fields[1] the parent pid; utime and stime are fields 14 and 15.
      const pid = Number(entry);
      const ppid = Number(fields[1]);
      const sys = Number(fields[12]);
      out.set(pid, { comm, ticks: Number(fields[11]) + sys, sys, system: pid <= 2 || ppid === 2 });
    } catch {
      // the process ended while we listed /proc
    }
  }
  return out;
}

/**
 * CPU used per group of processes over a window. `groups` maps a label to a pid or to a predicate on the
 * process name. Snapshots every `everyMs` so that processes ending inside the window still count.
 */
class CpuWindow {
  constructor(groups, everyMs = 250) {
    this.groups = groups;
    this.start = readProcesses();
    this.latest = new Map();
    this.machineStart = readMachineTicks();
    this.startedAt = performance.now();
    this.timer = setInterval(() => this.snapshot(), everyMs);
  }

  snapshot() {
    for (const [pid, p] of readProcesses()) this.latest.set(pid, p);
  }

  stop() {
    clearInterval(this.timer);
    this.snapshot();
    const seconds = (performance.now() - this.startedAt) / 1000;
    const machineEnd = readMachineTicks();
    const percent = (ticks) => Math.round((100 * ticks) / TICKS_PER_SECOND / seconds);
    const result = {};
    const ticksOf = new Map(Object.keys(this.groups).map((label) => [label, 0]));
    const sysOf = new Map(Object.keys(this.groups).map((label) => [label, 0]));
    const unmatched = new Map();
    let accounted = 0;
    let foreign = 0; // processes outside the groups that are not the kernel's or init's
    for (const [pid, p] of this.latest) {
      const ticks = p.ticks - (this.start.get(pid)?.ticks ?? 0);
      if (ticks <= 0) continue;
      accounted += ticks;
      const label = Object.keys(this.groups).find((l) => {
        const match = this.groups[l];
        return typeof match === 'number' ? pid === match : match(p.comm, pid);
      });
      if (label) {
        ticksOf.set(label, ticksOf.get(label) + ticks);
        sysOf.set(label, sysOf.get(label) + p.sys - (this.start.get(pid)?.sys ?? 0));
      } else {
        unmatched.set(p.comm, (unmatched.get(p.comm) ?? 0) + ticks);
        if (!p.system) foreign += ticks;
      }
    }
    for (const [label, ticks] of ticksOf) result[label] = percent(ticks);
    // Share of each group's CPU spent in the kernel (system time): on loopback that is mostly the TCP stack.
    const kernelShare = {};
    for (const [label, ticks] of ticksOf)
      if (ticks > 0) kernelShare[label] = Math.round((100 * sysOf.get(label)) / ticks);
    // Other processes by name, then what no process accounts for (kernel work, processes that came and went).
    for (const [comm, ticks] of [...unmatched].sort((a, b) => b[1] - a[1]).slice(0, 3)) {
      if (percent(ticks) > 0) result[comm] = percent(ticks);
    }
    const machineBusy = machineEnd.busy - this.machineStart.busy;
    result.unaccounted = Math.max(0, percent(machineBusy - accounted));
    result.machine = percent(machineBusy);
    result.kernelShare = kernelShare;
    // Time the hypervisor gave this VM's CPUs to someone else: the machine was slower by that much.
    result.steal = percent(machineEnd.steal - this.machineStart.steal);
    result.foreign = percent(foreign);
    result.capacity = os.cpus().length * 100;
    return result;
  }
}

/** Tallies the state and wait event of the database's client sessions every `everyMs`. */
class PgWaitSampler {
  constructor(pool, database, everyMs = 50) {
    this.pool = pool;
    this.database = database;
    this.tally = new Map();
    this.samples = 0;
    this.busy = false;
    this.timer = setInterval(() => void this.sample(), everyMs);
  }

  async sample() {
    if (this.busy) return;
    this.busy = true;
    try {
      const res = await this.pool.query(
        `SELECT state, wait_event_type, wait_event FROM pg_stat_activity
         WHERE datname = $1 AND backend_type = 'client backend' AND pid <> pg_backend_pid()
           AND application_name <> 'bench'`,
        [this.database],
      );
      this.samples++;
      for (const r of res.rows) {
        const what =
          r.state === 'active'
            ? r.wait_event
              ? `active: waiting ${r.wait_event_type}:${r.wait_event}`
              : 'active: on CPU'
            : r.state === 'idle in transaction'
              ? 'idle in transaction (waiting for the app)'
              : r.state;
        this.tally.set(what, (this.tally.get(what) ?? 0) + 1);
      }
    } catch {
      // sampling is best effort
    } finally {
      this.busy = false;
    }
  }

  /** Average number of sessions in each state, largest first. */
  stop() {
    clearInterval(this.timer);
    const n = Math.max(1, this.samples);
    return [...this.tally]
      .map(([state, count]) => ({ state, sessions: Math.round((10 * count) / n) / 10 }))
      .filter((s) => s.sessions > 0)
      .sort((a, b) => b.sessions - a.sessions);
  }
}

module.exports = { CpuWindow, PgWaitSampler };
