import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { buildForChildren } from '../support/child-app';

/**
 * A shutdown that never finishes (e.g. a BullMQ worker whose Redis connection was cut) must not keep a
 * process alive forever: after SIGTERM, the watchdog every main.ts installs ends it within its timeout.
 */
describe('shutdown watchdog', () => {
  let dist: string;

  beforeAll(async () => {
    dist = await buildForChildren('watchdog');
  });

  it('exits with status 1 and says why when the shutdown hooks do not finish in time', async () => {
    const child = spawn(
      process.execPath,
      [path.resolve(__dirname, '../fixtures/hanging-shutdown.js'), dist],
      { env: { ...process.env, SHUTDOWN_TIMEOUT_MS: '500' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    await once(child.stdout, 'data');
    const signalledAt = Date.now();
    child.kill('SIGTERM');
    const [code, signal] = await exited;
    const took = Date.now() - signalledAt;
    expect({ code, signal }).toEqual({ code: 1, signal: null });
    expect(took).toBeGreaterThanOrEqual(450);
    expect(took).toBeLessThan(5_000);
    expect(stderr).toMatch(/graceful shutdown did not finish within 500 ms; exiting/);
  });
});
