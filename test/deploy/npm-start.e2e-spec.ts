import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:net';
import path from 'node:path';
import { createTestEnvironment, type TestEnvironment } from '../support/environment';
import { eventually, HttpClient } from '../support/http';

const ROOT = path.resolve(__dirname, '../..');
const PORT_VARIABLES = [
  'STOREFRONT_PORT',
  'PROCESS_RESERVATIONS_PORT',
  'PROCESS_RECONCILIATION_PORT',
  'PROCESS_ALLOCATION_PORT',
  'PROCESS_RETURNS_PORT',
  'SANDBOX_PORT',
  'SYSTEM_ERP_PORT',
  'SYSTEM_WMS_PORT',
  'SYSTEM_OMS_PORT',
  'OPS_PORT',
  'POS_PORT',
  'MARKETPLACE_PORT',
];

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The apps the start script runs: app name → pid, from the process table. */
function appPids(parent: number): Map<string, number> {
  const out = new Map<string, number>();
  const table = execFileSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' });
  for (const line of table.split('\n')) {
    const m = /^\s*(\d+)\s+(\d+)\s+.*dist\/apps\/([a-z-]+)\/src\/main\.js/.exec(line);
    if (m && Number(m[2]) === parent) out.set(m[3], Number(m[1]));
  }
  return out;
}

/**
 * `npm start` itself (scripts/start.js with the demo, on a database and Redis prefix of this test's own and
 * free ports): an app killed with SIGKILL is restarted and serves again, the others run on, and SIGTERM stops
 * everything.
 */
describe('npm start', () => {
  let env: TestEnvironment;
  let start: ChildProcess;
  let stdout = '';
  let stderr = '';
  const ports: Record<string, number> = {};

  beforeAll(async () => {
    env = await createTestEnvironment('npmstart');
    for (const name of PORT_VARIABLES) ports[name] = await freePort();
    start = spawn(process.execPath, [path.join(ROOT, 'scripts', 'start.js')], {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: env.databaseUrl,
        REDIS_URL: env.redisUrl,
        REDIS_PREFIX: env.redisPrefix,
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    start.stdout!.setEncoding('utf8').on('data', (t: string) => (stdout += t));
    start.stderr!.setEncoding('utf8').on('data', (t: string) => (stderr += t));
    await eventually(
      async () => stdout.includes('Stockbridge is running') || start.exitCode !== null,
      (done) => done,
      150_000,
      250,
    );
    if (start.exitCode !== null)
      throw new Error(`npm start ended (${start.exitCode}):\n${stderr.slice(-4000)}`);
  }, 180_000);

  afterAll(async () => {
    if (start && start.exitCode === null && start.signalCode === null) {
      start.kill('SIGKILL');
      for (const pid of appPids(start.pid!).values()) process.kill(pid, 'SIGKILL');
    }
    await env?.teardown();
  });

  it('restarts an app killed with SIGKILL, says so, and serves again; SIGTERM then stops everything', async () => {
    const key = /Authorization: Bearer (\S+?)'/.exec(stdout)?.[1];
    expect(key).toBeDefined();
    const before = appPids(start.pid!);
    expect(before.size).toBe(12);

    const killed = before.get('process-reservations')!;
    process.kill(killed, 'SIGKILL');
    await eventually(
      async () => stderr,
      (s) => s.includes('process-reservations is ready again'),
      60_000,
      100,
    );
    expect(stderr).toMatch(
      /process-reservations exited unexpectedly \(signal SIGKILL\); restarting it in 0\.5 s \(crash 1 of 5 allowed within 60 s\)/,
    );
    expect(stderr).toMatch(/process-reservations restarted \(pid \d+\)/);
    expect(start.exitCode).toBeNull();

    // Every other app is the same process as before; process-reservations is a new one.
    const after = appPids(start.pid!);
    for (const [name, pid] of before) {
      if (name === 'process-reservations') expect(after.get(name)).not.toBe(pid);
      else expect({ name, pid: after.get(name) }).toEqual({ name, pid });
    }

    // A reservation goes through the storefront to the restarted process API.
    const web = new HttpClient(`http://127.0.0.1:${ports.STOREFRONT_PORT}`, {
      authorization: `Bearer ${key}`,
    });
    try {
      const res = await web.request('POST', '/v1/reservations', {
        body: { lines: [{ sku: 'SKU-00001', quantity: 1 }] },
        headers: { 'idempotency-key': randomUUID() },
      });
      expect(res.status).toBe(201);
    } finally {
      await web.close();
    }

    start.kill('SIGTERM');
    const [code] = (await once(start, 'exit')) as [number | null];
    expect(code).toBe(0);
    expect(stderr).toContain('stopped');
    const running = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    expect([...after.values()].filter(running)).toEqual([]);
  });
});
