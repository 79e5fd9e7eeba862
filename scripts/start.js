'use strict';
// `npm start`: the whole platform on this machine, with demo data. Installs the dependencies when needed,
// moves onto Node 22, finds or starts PostgreSQL and Redis, builds, migrates and loads the demo catalog,
// starts the apps, waits until they are ready and prints where they are and how to call them.
// An app that crashes is started again after a growing delay (scripts/lib/supervisor.js); one that keeps
// crashing (5 times within 60 s) stops everything with exit status 1. Ctrl-C (or SIGTERM) stops everything.
// Longer than 400 lines on purpose: the one ordered procedure of a local start (services, build, migrate, demo data,
// every app's environment, readiness, the banner); the services and the supervisor are in scripts/lib/.
const crypto = require('node:crypto');
const http = require('node:http');
const fs = require('node:fs');
const path = require('node:path');
const readline = require('node:readline');
const { spawn, spawnSync } = require('node:child_process');
const { root, log, UserError, main, runSync, seconds } = require('./lib/run');
const { ensureDeps, ensureNode22 } = require('./lib/ensure-deps');
const { Supervisor } = require('./lib/supervisor');

// The time counts from the first start, also when the script re-runs itself on Node 22.
const STARTED_AT_VAR = 'STOCKBRIDGE_STARTED_AT';
const startedAt = Number(process.env[STARTED_AT_VAR]) || Date.now();
process.env[STARTED_AT_VAR] = String(startedAt);

const READY_TIMEOUT_MS = 60_000;
/** How long a restarted app may take to be ready again before we say so (it keeps being supervised). */
const READY_AGAIN_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;
const TAIL_LINES = 40;
const CLI_MAIN = path.join(root, 'dist', 'apps', 'cli', 'src', 'main.js');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function portFromEnv(name, fallback) {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new UserError(`${name} must be a TCP port number, not '${value}'`);
  return port;
}

/** Migrates and loads the demo catalog (once), and issues fresh demo API keys: the CLI's `demo --json`. */
function loadDemo(env) {
  log('migrating and loading the demo data (cli demo)');
  const result = spawnSync(process.execPath, ['--enable-source-maps', CLI_MAIN, 'demo', '--json'], {
    cwd: root,
    env,
    encoding: 'utf8',
    // stdout carries the one JSON line we parse; the command's progress notes go to stderr, shown as they come.
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 16 * 1024 * 1024,
  });
  if (result.error) throw new UserError(`could not run the demo command: ${result.error.message}`);
  if (result.status !== 0)
    throw new UserError(`the demo command failed (exit status ${result.status ?? result.signal})`);
  const line = result.stdout.trim().split('\n').pop() ?? '';
  let summary;
  try {
    summary = JSON.parse(line);
  } catch {
    throw new UserError(`the demo command printed no JSON summary; it printed:\n${result.stdout}`);
  }
  if (!Array.isArray(summary.keys) || summary.keys.length === 0) {
    throw new UserError(`the demo command's summary has no API keys: ${line}`);
  }
  return summary;
}

/** GET url → { status, body } (body cut short), or null when nothing answers in time. */
function httpGet(url, timeoutMs = 2000) {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        if (body.length < 2000) body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode, body: body.slice(0, 2000) }));
      res.on('error', () => resolve(null));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(null));
  });
}

/** A prefix for a child's output lines: its name, padded, coloured on a terminal. */
function labeller(names) {
  const width = Math.max(...names.map((n) => n.length));
  const colours = [36, 35, 33, 32, 34];
  return (name, stream) => {
    const text = `${name.padEnd(width)} |`;
    return stream.isTTY ? `\x1b[${colours[names.indexOf(name) % colours.length]}m${text}\x1b[0m` : text;
  };
}

main(async () => {
  ensureDeps();
  await ensureNode22(__filename, process.argv.slice(2));
  delete process.env[STARTED_AT_VAR]; // read above; the apps need not inherit it
  const { ensureServices, canConnect } = require('./lib/ensure-services');

  const storefrontPort = portFromEnv('STOREFRONT_PORT', 3000);
  const posPort = portFromEnv('POS_PORT', 3030);
  const marketplacePort = portFromEnv('MARKETPLACE_PORT', 3040);
  const processPort = portFromEnv('PROCESS_RESERVATIONS_PORT', 3001);
  const reconciliationPort = portFromEnv('PROCESS_RECONCILIATION_PORT', 3002);
  const allocationPort = portFromEnv('PROCESS_ALLOCATION_PORT', 3003);
  const returnsPort = portFromEnv('PROCESS_RETURNS_PORT', 3004);
  const sandboxPort = portFromEnv('SANDBOX_PORT', 3900);
  const erpPort = portFromEnv('SYSTEM_ERP_PORT', 3011);
  const wmsPort = portFromEnv('SYSTEM_WMS_PORT', 3012);
  const omsPort = portFromEnv('SYSTEM_OMS_PORT', 3013);
  const opsPort = portFromEnv('OPS_PORT', 3020);
  // The apps listen on HOST (127.0.0.1 unless set); a wildcard address is reached through loopback.
  const host =
    !process.env.HOST || ['0.0.0.0', '::'].includes(process.env.HOST) ? '127.0.0.1' : process.env.HOST;
  const base = (port) => `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  const services = await ensureServices({ database: 'stockbridge' });
  const env = {
    ...process.env,
    ...services,
    REDIS_PREFIX: process.env.REDIS_PREFIX || 'sb:',
    LOG_LEVEL: process.env.LOG_LEVEL || 'info',
  };

  log('building (scripts/build.js)');
  if (
    runSync(process.execPath, [path.join(root, 'scripts', 'build.js')], { cwd: root, stdout: 'inherit' }) !==
    0
  ) {
    throw new UserError('the build failed');
  }
  const demo = loadDemo(env);
  const hasOps = fs.existsSync(path.join(root, 'dist', 'apps', 'ops', 'src', 'main.js'));

  // Checked before starting, so a platform already running gives a clear message, not a listen error.
  for (const [name, port] of [
    ['STOREFRONT_PORT', storefrontPort],
    ['POS_PORT', posPort],
    ['MARKETPLACE_PORT', marketplacePort],
    ['PROCESS_RESERVATIONS_PORT', processPort],
    ['PROCESS_RECONCILIATION_PORT', reconciliationPort],
    ['PROCESS_ALLOCATION_PORT', allocationPort],
    ['PROCESS_RETURNS_PORT', returnsPort],
    ['SANDBOX_PORT', sandboxPort],
    ['SYSTEM_ERP_PORT', erpPort],
    ['SYSTEM_WMS_PORT', wmsPort],
    ['SYSTEM_OMS_PORT', omsPort],
    ...(hasOps ? [['OPS_PORT', opsPort]] : []),
  ]) {
    if (await canConnect(host, port)) {
      throw new UserError(
        `port ${port} is in use (is the platform already running?): stop that process, or set ${name}`,
      );
    }
  }

  // New secrets per start: only these processes know them.
  const secret = (bytes) => crypto.randomBytes(bytes).toString('hex');
  const serviceToken = secret(32);
  const webhookSecret = secret(24);
  const opsToken = secret(16);
  const sandboxAdminToken = secret(24);
  // The backends' credentials, as a real ERP, WMS and OMS would demand them (docs/operations.md).
  const erpClientSecret = secret(24);
  const wmsApiKey = secret(24);
  const omsPassword = secret(24);
  const marketplaceClientSecret = secret(24);
  const apps = [
    {
      name: 'sandbox',
      port: sandboxPort,
      env: {
        SANDBOX_WMS_WEBHOOK_URL: `${base(wmsPort)}/v1/webhooks/wms`,
        SANDBOX_WMS_WEBHOOK_SECRET: webhookSecret,
        SANDBOX_ADMIN_TOKEN: sandboxAdminToken,
        SANDBOX_ERP_AUTH: `oauth2:stockbridge-erp:${erpClientSecret}`,
        SANDBOX_WMS_AUTH: `api-key:X-Api-Key:${wmsApiKey}`,
        SANDBOX_OMS_AUTH: `basic:stockbridge:${omsPassword}`,
        SANDBOX_MARKETPLACE_AUTH: `oauth2:stockbridge-marketplace:${marketplaceClientSecret}`,
      },
    },
    { name: 'process-reservations', port: processPort, env: {} },
    {
      name: 'experience-storefront',
      port: storefrontPort,
      env: { PROCESS_RESERVATIONS_URL: base(processPort), PROCESS_ALLOCATION_URL: base(allocationPort) },
    },
    { name: 'experience-pos', port: posPort, env: { PROCESS_RESERVATIONS_URL: base(processPort) } },
    {
      name: 'experience-marketplace',
      port: marketplacePort,
      env: {
        MARKETPLACE_URL: base(sandboxPort),
        MARKETPLACE_AUTH: 'oauth2',
        MARKETPLACE_TOKEN_URL: `${base(sandboxPort)}/oauth/token`,
        MARKETPLACE_TOKEN_REQUEST: 'json',
        MARKETPLACE_CLIENT_ID: 'stockbridge-marketplace',
        MARKETPLACE_CLIENT_SECRET: marketplaceClientSecret,
      },
    },
    { name: 'process-allocation', port: allocationPort, env: {} },
    { name: 'process-returns', port: returnsPort, env: {} },
    {
      name: 'system-erp',
      port: erpPort,
      env: {
        BACKEND_URL: base(sandboxPort),
        BACKEND_AUTH: 'oauth2',
        BACKEND_TOKEN_URL: `${base(sandboxPort)}/oauth/token`,
        BACKEND_TOKEN_REQUEST: 'json',
        BACKEND_CLIENT_ID: 'stockbridge-erp',
        BACKEND_CLIENT_SECRET: erpClientSecret,
      },
    },
    {
      name: 'system-wms',
      port: wmsPort,
      env: {
        BACKEND_URL: base(sandboxPort),
        WMS_WEBHOOK_SECRETS: webhookSecret,
        BACKEND_AUTH: 'api-key',
        BACKEND_API_KEY_HEADER: 'X-Api-Key',
        BACKEND_API_KEY: wmsApiKey,
      },
    },
    {
      name: 'system-oms',
      port: omsPort,
      env: {
        BACKEND_URL: base(sandboxPort),
        BACKEND_AUTH: 'basic',
        BACKEND_USERNAME: 'stockbridge',
        BACKEND_PASSWORD: omsPassword,
      },
    },
    {
      name: 'process-reconciliation',
      port: reconciliationPort,
      env: { SYSTEM_ERP_URL: base(erpPort), SYSTEM_WMS_URL: base(wmsPort) },
    },
    ...(hasOps
      ? [
          {
            name: 'ops',
            port: opsPort,
            env: {
              OPS_ADMIN_TOKENS: `admin:${opsToken}`,
              PROCESS_RECONCILIATION_URL: base(reconciliationPort),
            },
          },
        ]
      : []),
  ];
  const byName = new Map(apps.map((a) => [a.name, a]));
  const label = labeller(apps.map((a) => a.name));

  /** Spawns one app with its output labelled on ours; the supervisor calls it again for a restart. */
  function startApp(name) {
    const app = byName.get(name);
    const entry = path.join(root, 'dist', 'apps', app.name, 'src', 'main.js');
    const child = spawn(process.execPath, ['--enable-source-maps', entry], {
      cwd: root,
      env: { ...env, ...app.env, PORT: String(app.port), SERVICE_TOKEN: serviceToken },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Own process group: Ctrl-C in the terminal reaches only this script, which stops the apps in order.
      detached: true,
    });
    app.tail ??= [];
    for (const [input, output] of [
      [child.stdout, process.stdout],
      [child.stderr, process.stderr],
    ]) {
      readline.createInterface({ input, crlfDelay: Infinity }).on('line', (line) => {
        app.tail.push(line);
        if (app.tail.length > TAIL_LINES) app.tail.shift();
        output.write(`${label(app.name, output)} ${line}\n`);
      });
    }
    return child;
  }

  function printTail(app) {
    log(`last output of ${app.name}:`);
    for (const line of app.tail ?? []) process.stderr.write(`  ${line}\n`);
  }

  const supervisor = new Supervisor({
    start: startApp,
    log,
    policy: { stopTimeoutMs: STOP_TIMEOUT_MS },
    onRestarting: (name, { describe, delayMs, crashes, policy }) => {
      log(
        `${name} exited unexpectedly (${describe}); restarting it in ${seconds(delayMs)} s ` +
          `(crash ${crashes} of ${policy.maxCrashes} allowed within ${policy.windowMs / 1000} s)`,
      );
      printTail(byName.get(name));
    },
    onRestarted: (name, child) => {
      log(`${name} restarted (pid ${child.pid})`);
      const app = byName.get(name);
      void waitReady(app, Date.now() + READY_AGAIN_TIMEOUT_MS).then((ready) => {
        if (supervisor.stopping || supervisor.child(name) !== child) return;
        log(
          ready
            ? `${name} is ready again (${base(app.port)})`
            : `${name} is not ready ${READY_AGAIN_TIMEOUT_MS / 1000} s after its restart (GET /health/ready)`,
        );
      });
    },
    onGiveUp: (name, { describe, crashes, policy }) => {
      void fail(
        `${name} exited unexpectedly (${describe}), its ${crashes}th crash within ${policy.windowMs / 1000} s: ` +
          'giving up; stopping everything',
        byName.get(name),
      );
    },
  });

  async function fail(message, app) {
    log(message);
    if (app) printTail(app);
    await supervisor.stop();
    process.exit(1);
  }

  /** Polls the app's readiness until it answers 200 (true) or the deadline passes (false). */
  async function waitReady(app, deadline, onTimeout) {
    for (;;) {
      const answer = await httpGet(`${base(app.port)}/health/ready`);
      if (answer?.status === 200) return true;
      if (supervisor.stopping) return new Promise(() => {}); // the process is ending
      if (Date.now() > deadline) {
        if (onTimeout) await onTimeout(answer);
        return false;
      }
      await sleep(250);
    }
  }

  for (const app of apps) supervisor.add(app.name);

  // Last resort should this script end some other way (an uncaught error): leave no app behind.
  process.on('exit', () => supervisor.killAll());
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      if (!supervisor.stopping) log(`${signal}: stopping the apps`);
      void supervisor.stop().then(() => {
        log('stopped');
        process.exit(0);
      });
    });
  }

  const deadline = Date.now() + READY_TIMEOUT_MS;
  await Promise.all(
    apps.map((app) =>
      waitReady(app, deadline, (answer) =>
        // The readiness answer names the failing check (problem+json), which says more than the log.
        fail(
          `${app.name} was not ready within ${READY_TIMEOUT_MS / 1000} s (GET /health/ready${
            answer ? `; it answered ${answer.status}: ${answer.body}` : ''
          }); stopping`,
          app,
        ),
      ),
    ),
  );
  if (supervisor.stopping) return;
  // The demo's cross-references and the sandbox ERP's item master (the CLI's `demo backends`).
  if (
    runSync(process.execPath, [CLI_MAIN, 'demo', 'backends', base(sandboxPort)], {
      cwd: root,
      env: { ...env, SANDBOX_ADMIN_TOKEN: sandboxAdminToken },
      stdout: 'inherit',
    }) !== 0
  ) {
    await fail('the demo backends command failed; stopping');
    return;
  }

  const webKey = (demo.keys.find((k) => k.channel === 'web') ?? demo.keys[0]).key;
  const storefront = base(storefrontPort);
  const channelWidth = Math.max(...demo.keys.map((k) => k.channel.length));
  const storeKeys = demo.storeKeys ?? [];
  const storeWidth = Math.max(0, ...storeKeys.map((k) => k.store.length));
  const pos = base(posPort);
  const bar = '-'.repeat(100);
  const banner = [
    '',
    bar,
    `Stockbridge is running (ready in ${seconds(Date.now() - startedAt)} s)`,
    '',
    `  storefront API  ${storefront}   Swagger: ${storefront}/docs`,
    `  POS API         ${pos}   Swagger: ${pos}/docs   (stores' tills: transactions, store stock, click-and-collect)`,
    `  marketplace     ${base(marketplacePort)}   Swagger: ${base(marketplacePort)}/docs   (quantities to the sandbox's eBay marketplace; POST /v1/marketplace/resync, service token)`,
    `  process API     ${base(processPort)}   Swagger: ${base(processPort)}/docs   (service token for this run: ${serviceToken})`,
    `  orders          ${base(allocationPort)}   Swagger: ${base(allocationPort)}/docs   (allocation, fulfilment, order lifecycle: GET /v1/orders/{id})`,
    `  returns         ${base(returnsPort)}   Swagger: ${base(returnsPort)}/docs   (RMA: POST /v1/returns, /receive, /grade)`,
    `  reconciliation  ${base(reconciliationPort)}   Swagger: ${base(reconciliationPort)}/docs   (nightly at 03:00; POST /v1/reconciliation/runs runs one now)`,
    `  system APIs     ERP ${base(erpPort)}  WMS ${base(wmsPort)}  OMS ${base(omsPort)}   (Swagger at /docs of each)`,
    `  sandbox         ${base(sandboxPort)}   Swagger: ${base(sandboxPort)}/docs   (stand-in ERP, WMS, OMS, marketplace; faults at /admin/faults; admin token: ${sandboxAdminToken})`,
    ...(hasOps
      ? [
          `  ops API         ${base(opsPort)}   Swagger: ${base(opsPort)}/docs   Bull Board: ${base(opsPort)}/queues   (admin token: ${opsToken})`,
        ]
      : []),
    '',
    `  demo data: ${demo.skus} SKUs, ${demo.locations} locations, ${demo.channels} channels; API keys (new at every start):`,
    ...demo.keys.map((k) => `    ${k.channel.padEnd(channelWidth)}  ${k.key}`),
    ...(storeKeys.length > 0
      ? [
          '  POS keys, one per store (each acts for its own store only):',
          ...storeKeys.map((k) => `    ${k.store.padEnd(storeWidth)}  ${k.key}`),
        ]
      : []),
    '',
    '  try:',
    `    curl -s -H 'Authorization: Bearer ${webKey}' '${storefront}/v1/availability?sku=SKU-00001'`,
    `    curl -s -X POST '${storefront}/v1/reservations' \\`,
    `      -H 'Authorization: Bearer ${webKey}' \\`,
    `      -H 'Idempotency-Key: ${crypto.randomUUID()}' \\`,
    `      -H 'Content-Type: application/json' \\`,
    `      -d '{"lines":[{"sku":"SKU-00001","quantity":1}]}'`,
    ...(storeKeys.length > 0
      ? [
          `  a sale at ${storeKeys[0].store}'s till, then its stock and the stores nearby:`,
          `    curl -s -X POST '${pos}/v1/stores/${storeKeys[0].store}/transactions' \\`,
          `      -H 'Authorization: Bearer ${storeKeys[0].key}' -H 'Content-Type: application/json' \\`,
          `      -d '{"transactions":[{"transactionId":"T1-${Date.now()}","type":"sale","occurredAt":"${new Date().toISOString()}","lines":[{"sku":"SKU-00001","quantity":1}]}]}'`,
          `    curl -s -H 'Authorization: Bearer ${storeKeys[0].key}' '${pos}/v1/stores/${storeKeys[0].store}/stock?sku=SKU-00001'`,
        ]
      : []),
    '',
    `  a WMS receipt of 2 cases (24 units) of SKU-00001 at WH-EAST, then watch the availability above grow:`,
    `    curl -s -X POST '${base(sandboxPort)}/wms/api/receipts' -H 'Content-Type: application/json' \\`,
    `      -H 'X-Api-Key: ${wmsApiKey}' \\`,
    `      -d '{"warehouse":"DC-WH-EAST","itemCode":"W-SKU-00001","qty":2,"uom":"CS"}'`,
    '',
    '  A crashed app is restarted (and the log says so); Ctrl-C stops everything.',
    bar,
    '',
  ];
  process.stdout.write(`${banner.join('\n')}\n`);
});
