import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { build } from '../../scripts/build';
import { HttpClient } from './http';

const ROOT = path.resolve(__dirname, '../..');

/** Compiles the apps for child processes into a directory of this test file's own (parallel files never share one). */
export async function buildForChildren(label: string): Promise<string> {
  const outDir = path.join(ROOT, 'node_modules/.cache', `stockbridge-test-dist-${label}`);
  await build({ outDir });
  return outDir;
}

/** One of the platform's apps as a real child process, so that a test can kill it with SIGKILL. */
export class ChildApp {
  child!: ChildProcess;
  exited!: Promise<unknown>;

  constructor(
    private readonly distDir: string,
    readonly app: string,
    readonly env: Record<string, string>,
    readonly port: number,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.child = spawn(process.execPath, [path.join(this.distDir, `apps/${this.app}/src/main.js`)], {
      env: { ...process.env, LOG_LEVEL: 'error', ...this.env, PORT: String(this.port) },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    this.exited = once(this.child, 'exit');
    const client = new HttpClient(this.url);
    try {
      for (let i = 0; i < 200; i++) {
        if (this.child.exitCode !== null)
          throw new Error(`${this.app} exited with ${this.child.exitCode} while starting`);
        const ok = await client.request('GET', '/health/ready').then(
          (r) => r.status === 200,
          () => false,
        );
        if (ok) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`${this.app} did not become ready`);
    } finally {
      await client.close();
    }
  }

  async kill(): Promise<void> {
    if (!this.child || this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }
}
