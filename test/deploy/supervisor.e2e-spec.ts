import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { type CrashInfo, Supervisor } from '../../scripts/lib/supervisor';
import { eventually, HttpClient } from '../support/http';

const FIXTURE = path.join(__dirname, 'fixtures', 'supervised-app.js');

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The pid the app on `port` answers with, or null when nothing answers. */
async function pidOn(port: number): Promise<number | null> {
  const client = new HttpClient(`http://127.0.0.1:${port}`);
  try {
    const res = await client.request<{ pid: number }>('GET', '/health/ready');
    return res.status === 200 ? res.body.pid : null;
  } catch {
    return null;
  } finally {
    await client.close();
  }
}

const alive = (child: ChildProcess | null) => !!child && child.exitCode === null && child.signalCode === null;

/** The supervision of `npm start` (scripts/lib/supervisor.js), with child processes of a stand-in app. */
describe('npm start supervision', () => {
  let supervisor: Supervisor | undefined;
  const events: string[] = [];
  const restarting: (CrashInfo & { delayMs: number; name: string })[] = [];
  let gaveUp: (CrashInfo & { name: string }) | null = null;

  function supervise(apps: Record<string, { port: number; env?: Record<string, string> }>, policy = {}) {
    supervisor = new Supervisor({
      start: (name) =>
        spawn(process.execPath, [FIXTURE], {
          env: { ...process.env, PORT: String(apps[name].port), ...apps[name].env },
          stdio: 'ignore',
        }),
      policy: { initialDelayMs: 100, maxDelayMs: 1_000, stopTimeoutMs: 2_000, ...policy },
      onRestarting: (name, info) => {
        restarting.push({ ...info, name });
        events.push(`restarting ${name}`);
      },
      onRestarted: (name) => events.push(`restarted ${name}`),
      onGiveUp: (name, info) => {
        gaveUp = { ...info, name };
        events.push(`gave up ${name}`);
        void supervisor!.stop();
      },
    });
    for (const name of Object.keys(apps)) supervisor.add(name);
    return supervisor;
  }

  afterEach(async () => {
    await supervisor?.stop();
    supervisor = undefined;
    events.length = 0;
    restarting.length = 0;
    gaveUp = null;
  });

  it('restarts an app killed with SIGKILL, and leaves the others running', async () => {
    const [a, b] = [await freePort(), await freePort()];
    const s = supervise({ a: { port: a }, b: { port: b } });
    const first = await eventually(
      () => pidOn(a),
      (pid) => pid !== null,
      10_000,
      50,
    );
    const other = await eventually(
      () => pidOn(b),
      (pid) => pid !== null,
      10_000,
      50,
    );

    process.kill(first!, 'SIGKILL');
    const second = await eventually(
      () => pidOn(a),
      (pid) => pid !== null && pid !== first,
      10_000,
      50,
    );
    expect(second).not.toBe(first);
    expect(restarting).toEqual([
      expect.objectContaining({ name: 'a', delayMs: 100, crashes: 1, describe: 'signal SIGKILL' }),
    ]);
    expect(events).toEqual(['restarting a', 'restarted a']);
    expect(s.restarts('a')).toBe(1);
    // The other app never stopped.
    expect(await pidOn(b)).toBe(other);
    expect(gaveUp).toBeNull();
  });

  it('waits longer after each crash, and gives up on an app that keeps crashing', async () => {
    const [a, b] = [await freePort(), await freePort()];
    const s = supervise(
      { crashy: { port: a, env: { EXIT_AFTER_MS: '0' } }, steady: { port: b } },
      { maxCrashes: 4, windowMs: 30_000, initialDelayMs: 50 },
    );
    await eventually(
      async () => gaveUp,
      (g) => g !== null,
      15_000,
      20,
    );
    expect(restarting.map((r) => [r.name, r.delayMs, r.describe])).toEqual([
      ['crashy', 50, 'exit status 3'],
      ['crashy', 100, 'exit status 3'],
      ['crashy', 200, 'exit status 3'],
    ]);
    expect(gaveUp).toMatchObject({ name: 'crashy', crashes: 4, describe: 'exit status 3' });
    // Giving up stops everything, the app that was fine included, and restarts nothing more.
    await s.stop();
    expect(alive(s.child('steady'))).toBe(false);
    expect(await pidOn(b)).toBeNull();
    expect(events.filter((e) => e.startsWith('restarted'))).toHaveLength(3);
  });

  it('forgets crashes older than the window', async () => {
    const [a] = [await freePort()];
    supervise({ a: { port: a, env: { EXIT_AFTER_MS: '300' } } }, { maxCrashes: 2, windowMs: 200 });
    // Each run lives 300 ms, longer than the 200 ms window: every crash is the first in its window.
    await eventually(
      async () => restarting.length,
      (n) => n >= 3,
      15_000,
      20,
    );
    expect(gaveUp).toBeNull();
    expect(restarting.every((r) => r.crashes === 1 && r.delayMs === 100)).toBe(true);
  });

  it('stops every app on stop() and restarts none of them', async () => {
    const [a, b] = [await freePort(), await freePort()];
    const s = supervise({ a: { port: a }, b: { port: b } });
    await eventually(
      () => pidOn(a),
      (pid) => pid !== null,
      10_000,
      50,
    );
    await eventually(
      () => pidOn(b),
      (pid) => pid !== null,
      10_000,
      50,
    );
    await s.stop();
    expect([alive(s.child('a')), alive(s.child('b'))]).toEqual([false, false]);
    await new Promise((r) => setTimeout(r, 300));
    expect(events).toEqual([]);
    expect([await pidOn(a), await pidOn(b)]).toEqual([null, null]);
  });
});
