'use strict';
// Where a V8 CPU profile's time goes: self time per function and per package.
//
//   node bench/cpuprofile-top.js <file.cpuprofile> [top=20]
//
// Self time is the sum of the sampling intervals whose innermost frame is the function. "Package" is the
// npm package (node_modules/<name>), `app:<path>` for the platform's own code (dist/apps, dist/libs),
// `node:internal` for Node's JavaScript, or V8's pseudo-frames: (garbage collector), (program) — native
// code outside JavaScript, mostly the event loop and I/O. Idle samples are left out of the percentages. "Owner" charges Node's internals and
// native calls (a socket's writev, which includes the kernel's loopback TCP work) to the nearest package
// or app frame that called them: pg, ioredis, undici, fastify… Caveat: on a saturated machine a thread
// that wakes another process in a syscall is often preempted there, so writev also collects the time spent
// waiting for a CPU; /proc CPU accounting (bench/sampling.js) is the reliable figure of cost.
const fs = require('node:fs');

function packageOf(url, functionName) {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  const dist = url.indexOf('/dist/');
  if (dist >= 0) {
    const parts = url.slice(dist + '/dist/'.length).split('/');
    return `app:${parts[0]}/${parts[1]}`;
  }
  if (url.startsWith('node:')) return 'node:internal';
  return url;
}

/** The package that caused a sample: the innermost frame that is in a package or the app, not in Node. */
function ownerOf(id, byId, parent) {
  const leaf = byId.get(id).callFrame;
  if (!leaf.url && leaf.functionName.startsWith('(')) return leaf.functionName;
  for (let n = id; n !== undefined; n = parent.get(n)) {
    const { url, functionName } = byId.get(n).callFrame;
    if (url && (url.includes('node_modules/') || url.includes('/dist/'))) return packageOf(url, functionName);
  }
  return 'node:internal';
}

function summarize(profile, top = 20) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map();
  let total = 0;
  let idle = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i] ?? 0;
    if (byId.get(profile.samples[i]).callFrame.functionName === '(idle)') {
      idle += dt;
      continue;
    }
    total += dt;
    selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + dt);
  }
  const fns = new Map();
  const pkgs = new Map();
  const owners = new Map();
  for (const [id, us] of selfUs) {
    const owner = ownerOf(id, byId, parent);
    owners.set(owner, (owners.get(owner) ?? 0) + us);
    const { functionName, url, lineNumber } = byId.get(id).callFrame;
    const name = functionName || '(anonymous)';
    const file = url ? url.replace(/^file:\/\//, '').replace(/^.*\/(node_modules|dist)\//, '$1/') : '';
    const key = `${name} ${file}${url ? `:${lineNumber + 1}` : ''}`;
    fns.set(key, (fns.get(key) ?? 0) + us);
    const pkg = packageOf(url, name);
    pkgs.set(pkg, (pkgs.get(pkg) ?? 0) + us);
  }
  const rank = (m) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({
        name,
        ms: Math.round(us / 1000),
        percent: Math.round((1000 * us) / total) / 10,
      }));
  return {
    totalMs: Math.round((total + idle) / 1000),
    idlePercent: Math.round((1000 * idle) / (total + idle)) / 10,
    functions: rank(fns),
    packages: rank(pkgs),
    owners: rank(owners),
  };
}

function format(summary, top = 20) {
  const lines = [
    `  sampled ${summary.totalMs} ms, idle ${summary.idlePercent} % (percentages below are of the busy time)`,
    '  self time by package:',
  ];
  for (const p of summary.packages.slice(0, top))
    lines.push(`    ${p.percent.toFixed(1).padStart(5)} %  ${p.name}`);
  lines.push(
    '  self time by owner (Node internals and native calls charged to the package that called them):',
  );
  for (const p of summary.owners.slice(0, top))
    lines.push(`    ${p.percent.toFixed(1).padStart(5)} %  ${p.name}`);
  lines.push('  self time by function:');
  for (const f of summary.functions.slice(0, top))
    lines.push(`    ${f.percent.toFixed(1).padStart(5)} %  ${f.name}`);
  return lines.join('\n');
}

module.exports = { summarize, format };

if (require.main === module) {
  const file = process.argv[2];
  const top = Number(process.argv[3] ?? 20);
  if (!file) {
    console.error('usage: node bench/cpuprofile-top.js <file.cpuprofile> [top]');
    process.exit(2);
  }
  console.log(file);
  console.log(format(summarize(JSON.parse(fs.readFileSync(file, 'utf8')), top), top));
}
