'use strict';
// `npm test`: every check and test against real PostgreSQL and Redis (docs/architecture.md#running-and-scaling-out). Installs the
// dependencies when needed, moves onto Node 22, finds or starts the services, then runs the steps below in
// order and ends with a summary and the line `N passed, M failed`. Extra arguments go to both Jest runs:
// `npm test -- libs/ledger` runs the unit and integration specs under libs/ledger only.
const fs = require('node:fs');
const path = require('node:path');
const { root, localBin, log, main, runForeground, seconds } = require('./lib/run');
const { ensureDeps, ensureNode22 } = require('./lib/ensure-deps');

const startedAt = Date.now();

function isCi() {
  const value = (process.env.CI || '').toLowerCase();
  return value !== '' && value !== '0' && value !== 'false';
}

function steps(extraArgs) {
  // Tools run as scripts of this Node (the pinned 22), whatever `node` PATH would find.
  const tool = (name) => path.join(localBin, name);
  const jestArgs = [
    ...(isCi() ? ['--ci'] : []),
    // A path filter usually matches specs of one project only; the other run must not fail for finding none.
    ...(extraArgs.length > 0 ? ['--passWithNoTests', ...extraArgs] : []),
  ];
  // `static`: a failure does not stop the run, so that one run shows every static problem.
  return [
    { name: 'typecheck', script: tool('tsc'), args: ['--noEmit', '-p', 'tsconfig.json'], static: true },
    { name: 'lint', script: tool('eslint'), args: ['--max-warnings', '0', '.'], static: true },
    { name: 'format', script: tool('prettier'), args: ['--check', '--log-level', 'warn', '.'], static: true },
    { name: 'layering', script: path.join(root, 'scripts', 'check-layering.mjs'), args: [], static: true },
    { name: 'openapi', script: path.join(root, 'scripts', 'openapi.js'), args: ['check'], static: true },
    // --selectProjects takes several values, so it goes last: path filters before it would be read as
    // project names. Each run writes its counts to a JSON file for the closing line.
    {
      name: 'unit',
      script: tool('jest'),
      args: [...jestArgs, ...jestReport('unit'), '--selectProjects', 'unit'],
      jest: 'unit',
    },
    {
      name: 'e2e',
      script: tool('jest'),
      args: [...jestArgs, ...jestReport('e2e'), '--selectProjects', 'e2e'],
      jest: 'e2e',
    },
  ];
}

const REPORT_DIR = path.join(root, 'node_modules', '.cache', 'stockbridge-test');

function jestReport(name) {
  return ['--json', `--outputFile=${path.join(REPORT_DIR, `${name}.json`)}`];
}

/** Test counts of a Jest run from its JSON report; a run that died before writing one counts as one failure. */
function jestCounts(name) {
  try {
    const report = JSON.parse(fs.readFileSync(path.join(REPORT_DIR, `${name}.json`), 'utf8'));
    return {
      passed: report.numPassedTests,
      // A suite that fails to load has no failed test but is a failure all the same.
      failed: report.numFailedTests + report.numRuntimeErrorTestSuites,
    };
  } catch {
    return { passed: 0, failed: 1 };
  }
}

function printSummary(results) {
  const width = Math.max(...results.map((r) => r.name.length));
  const lines = [
    '',
    `${'step'.padEnd(width)}  result    seconds`,
    ...results.map(
      (r) =>
        `${r.name.padEnd(width)}  ${r.status.padEnd(8)}  ${r.seconds === null ? '      -' : seconds(r.seconds).padStart(7)}${r.note ? `  ${r.note}` : ''}`,
    ),
    `${'total'.padEnd(width)}  ${''.padEnd(8)}  ${seconds(Date.now() - startedAt).padStart(7)}`,
    '',
    // The closing line counts tests: every Jest test, plus each static check as one.
    `${results.reduce((n, r) => n + r.passedCount, 0)} passed, ${results.reduce((n, r) => n + r.failedCount, 0)} failed`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main(async () => {
  const extraArgs = process.argv.slice(2);
  ensureDeps();
  await ensureNode22(__filename, extraArgs);
  const { ensureServices } = require('./lib/ensure-services');

  // Tests create a database each, so they get the server's `postgres` database to connect to first.
  const services = await ensureServices({
    database: 'postgres',
    databaseUrl: process.env.TEST_DATABASE_URL || process.env.DATABASE_URL,
    redisUrl: process.env.TEST_REDIS_URL || process.env.REDIS_URL,
  });
  const env = {
    ...process.env,
    ...services,
    TEST_DATABASE_URL: services.DATABASE_URL,
    TEST_REDIS_URL: services.REDIS_URL,
  };

  let interrupted = null;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => (interrupted ??= signal));

  const results = [];
  let stoppedBy = null;
  fs.rmSync(REPORT_DIR, { recursive: true, force: true });
  fs.mkdirSync(REPORT_DIR, { recursive: true });
  for (const step of steps(extraArgs)) {
    if (interrupted || stoppedBy) {
      results.push({
        name: step.name,
        status: 'skipped',
        seconds: null,
        note: interrupted ? `(${interrupted})` : `(${stoppedBy} failed)`,
        passedCount: 0,
        failedCount: 1,
      });
      continue;
    }
    log(`${step.name}: ${path.relative(root, step.script)} ${step.args.join(' ')}`);
    const stepStarted = Date.now();
    const { code, signal } = await runForeground(process.execPath, [step.script, ...step.args], {
      cwd: root,
      env,
    });
    const passed = code === 0;
    const counts = step.jest ? jestCounts(step.jest) : { passed: passed ? 1 : 0, failed: passed ? 0 : 1 };
    if (!passed && counts.failed === 0) counts.failed = 1;
    results.push({
      name: step.name,
      status: passed ? 'passed' : 'failed',
      seconds: Date.now() - stepStarted,
      note: `${signal ? `(${signal}) ` : ''}${step.jest ? `${counts.passed} tests passed, ${counts.failed} failed` : ''}`,
      passedCount: counts.passed,
      failedCount: counts.failed,
    });
    log(`${step.name} ${passed ? 'passed' : 'failed'} in ${seconds(Date.now() - stepStarted)} s`);
    if (!passed && !step.static) stoppedBy = step.name;
  }

  printSummary(results);
  process.exit(results.some((r) => r.status !== 'passed') ? 1 : 0);
});
