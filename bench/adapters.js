'use strict';
// Nest 12 hello-world on Fastify against Express, with wrk: the measurement behind
// docs/adr/0001-fastify-adapter.md. Not part of npm run bench (the repository does not depend on Express).
//
//   node bench/adapters.js [express-dir]
//
// express-dir (default $BENCH_EXPRESS_DIR or /tmp/bench-express) must hold @nestjs/platform-express:
//   mkdir -p /tmp/bench-express && cd /tmp/bench-express && echo '{"private":true}' > package.json &&
//   npm i @nestjs/core@12 @nestjs/common@12 @nestjs/platform-express@12 reflect-metadata rxjs
// Fastify runs on the repository's packages. The two apps take turns, BENCH_ROUNDS (3) rounds of
// BENCH_SECONDS (10) each after a 2 s warm-up, BENCH_CONNECTIONS (50) connections, wrk -t1.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { CpuWindow } = require('./sampling');

const expressDir = path.resolve(process.argv[2] ?? process.env.BENCH_EXPRESS_DIR ?? '/tmp/bench-express');
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function run(cmd, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${cmd} exited ${code}:\n${out}`)),
    );
  });
}

async function wrk(port, secs) {
  const out = await run('wrk', [
    '-t1',
    `-c${connections}`,
    `-d${secs}s`,
    '--timeout',
    '10s',
    '-s',
    path.join(__dirname, 'wrk.lua'),
    `http://127.0.0.1:${port}`,
    '--',
    'hello',
  ]);
  const line = out.split('\n').find((l) => l.startsWith('WRK_JSON '));
  if (!line) throw new Error(`no result from wrk:\n${out}`);
  return JSON.parse(line.slice('WRK_JSON '.length));
}

async function start(adapter, port) {
  const args = [
    path.join(__dirname, 'hello.mjs'),
    adapter,
    String(port),
    ...(adapter === 'express' ? [expressDir] : []),
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => String(d).includes('"ready":true') && resolve());
    child.once('exit', (code) => reject(new Error(`${adapter} hello-world exited ${code}`)));
  });
  return child;
}

async function main() {
  if (!fs.existsSync(path.join(expressDir, 'node_modules', '@nestjs', 'platform-express'))) {
    console.error(
      `No @nestjs/platform-express under ${expressDir}. Install it there first (outside the repository):`,
    );
    console.error(
      `  mkdir -p ${expressDir} && cd ${expressDir} && echo '{"private":true}' > package.json &&`,
    );
    console.error(
      '  npm i @nestjs/core@12 @nestjs/common@12 @nestjs/platform-express@12 reflect-metadata rxjs',
    );
    process.exit(2);
  }
  const apps = { fastify: { port: 3950 }, express: { port: 3951 } };
  const results = { fastify: [], express: [] };
  try {
    for (const [name, a] of Object.entries(apps)) a.child = await start(name, a.port);
    for (const a of Object.values(apps)) await wrk(a.port, 2);
    for (let r = 0; r < rounds; r++) {
      for (const [name, a] of Object.entries(apps)) {
        const cpu = new CpuWindow({ server: a.child.pid, wrk: (comm) => comm === 'wrk' });
        const w = await wrk(a.port, seconds);
        const used = cpu.stop();
        const rps = w.requests / (w.durationUs / 1e6);
        results[name].push({
          rps,
          p50: w.latencyUs.p50 / 1000,
          p99: w.latencyUs.p99 / 1000,
          non2xx: w.errors.status,
          cpu: used,
        });
        console.log(
          `round ${r + 1} ${name.padEnd(7)} ${Math.round(rps).toLocaleString('en').padStart(7)} req/s  p50 ${(w.latencyUs.p50 / 1000).toFixed(2)} ms  ` +
            `p99 ${(w.latencyUs.p99 / 1000).toFixed(2)} ms  non-2xx ${w.errors.status}  CPU: server ${used.server} %, wrk ${used.wrk} %, other processes ${used.foreign} %`,
        );
        await sleep(500);
      }
    }
  } finally {
    for (const a of Object.values(apps)) a.child?.kill('SIGTERM');
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const f = median(results.fastify.map((x) => x.rps));
  const e = median(results.express.map((x) => x.rps));
  console.log(
    `\nmedian of ${rounds}: Fastify ${Math.round(f).toLocaleString('en')} req/s, Express ${Math.round(e).toLocaleString('en')} req/s: Fastify ×${(f / e).toFixed(1)}`,
  );
  fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true });
  fs.writeFileSync(
    path.join(__dirname, 'results', 'adapters.json'),
    `${JSON.stringify({ date: new Date().toISOString(), connections, seconds, results }, null, 2)}\n`,
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
