'use strict';
// The committed OpenAPI documents (openapi/<app>.yaml) and the Swagger plugin metadata they are built from
// (apps/<app>/src/metadata.ts), generated from the code.
//   node scripts/openapi.js write     regenerate and write both (npm run openapi); `write <app>…` only those
//   node scripts/openapi.js check     regenerate in a scratch directory and fail when the committed files
//                                     differ, lint the documents (redocly.yaml) and fail on a breaking change
//                                     against the released documents (openapi/released/<app>.yaml)
//   node scripts/openapi.js release   after a release: copy the documents to openapi/released (npm run openapi:release)
// The @nestjs/swagger CLI plugin does not run in the SWC build, so its metadata (DTO properties, types and
// their doc comments) is generated here with the plugin's own visitor, as the NestJS SWC docs describe.
const fs = require('node:fs');
const path = require('node:path');
const yaml = require('js-yaml');
const { build } = require('./build');
const { compareDocuments } = require('./lib/openapi-compat');
const { lintDocuments } = require('./lib/openapi-lint');
const { STOREFRONT_TYPES, storefrontTypes } = require('./lib/storefront-types');

const root = path.resolve(__dirname, '..');
const scratch = path.join(root, 'node_modules', '.cache', 'stockbridge-openapi');
const releasedDir = path.join(root, 'openapi', 'released');
/** The document whose changelog (docs/storefront-api.md) names every minor version. */
const CHANGELOGS = { 'experience-storefront': 'docs/storefront-api.md' };

/** Apps with a public document; config values are placeholders — nothing connects in preview mode. */
const APPS = [
  {
    name: 'process-reservations',
    configModule: 'apps/process-reservations/src/process-reservations.config',
    configClass: 'ProcessReservationsConfig',
    app: 'apps/process-reservations/src/app',
    spec: 'processReservationsAppSpec',
    module: 'processReservationsModule',
  },
  {
    name: 'experience-storefront',
    configModule: 'apps/experience-storefront/src/storefront.config',
    configClass: 'StorefrontConfig',
    app: 'apps/experience-storefront/src/app',
    spec: 'storefrontAppSpec',
    module: 'storefrontModule',
  },
  {
    name: 'experience-pos',
    configModule: 'apps/experience-pos/src/pos.config',
    configClass: 'PosConfig',
    app: 'apps/experience-pos/src/app',
    spec: 'posAppSpec',
    module: 'posModule',
  },
  {
    name: 'experience-marketplace',
    configModule: 'apps/experience-marketplace/src/marketplace.config',
    configClass: 'MarketplaceConfig',
    app: 'apps/experience-marketplace/src/app',
    spec: 'marketplaceAppSpec',
    module: 'marketplaceModule',
  },
  {
    name: 'process-reconciliation',
    configModule: 'apps/process-reconciliation/src/process-reconciliation.config',
    configClass: 'ProcessReconciliationConfig',
    app: 'apps/process-reconciliation/src/app',
    spec: 'processReconciliationAppSpec',
    module: 'processReconciliationModule',
  },
  {
    name: 'process-allocation',
    configModule: 'apps/process-allocation/src/process-allocation.config',
    configClass: 'ProcessAllocationConfig',
    app: 'apps/process-allocation/src/app',
    spec: 'processAllocationAppSpec',
    module: 'processAllocationModule',
  },
  {
    name: 'process-returns',
    configModule: 'apps/process-returns/src/process-returns.config',
    configClass: 'ProcessReturnsConfig',
    app: 'apps/process-returns/src/app',
    spec: 'processReturnsAppSpec',
    module: 'processReturnsModule',
  },
  {
    name: 'sandbox',
    configModule: 'apps/sandbox/src/sandbox.config',
    configClass: 'SandboxConfig',
    app: 'apps/sandbox/src/app',
    spec: 'sandboxAppSpec',
    module: 'sandboxModule',
  },
  {
    name: 'system-erp',
    configModule: 'apps/system-erp/src/system-erp.config',
    configClass: 'SystemErpConfig',
    app: 'apps/system-erp/src/app',
    spec: 'systemErpAppSpec',
    module: 'systemErpModule',
  },
  {
    name: 'system-wms',
    configModule: 'apps/system-wms/src/system-wms.config',
    configClass: 'SystemWmsConfig',
    app: 'apps/system-wms/src/app',
    spec: 'systemWmsAppSpec',
    module: 'systemWmsModule',
  },
  {
    name: 'system-oms',
    configModule: 'apps/system-oms/src/system-oms.config',
    configClass: 'SystemOmsConfig',
    app: 'apps/system-oms/src/app',
    spec: 'systemOmsAppSpec',
    module: 'systemOmsModule',
  },
  {
    name: 'ops',
    configModule: 'apps/ops/src/ops.config',
    configClass: 'OpsConfig',
    app: 'apps/ops/src/app',
    spec: 'opsAppSpec',
    module: 'opsModule',
  },
];

const PLACEHOLDER_ENV = {
  DATABASE_URL: 'postgres://openapi@127.0.0.1:1/openapi',
  REDIS_URL: 'redis://127.0.0.1:1',
  SERVICE_TOKEN: 'openapi-generator-placeholder',
  PROCESS_RESERVATIONS_URL: 'http://127.0.0.1:1',
  PROCESS_ALLOCATION_URL: 'http://127.0.0.1:1',
  BACKEND_URL: 'http://127.0.0.1:1',
  SYSTEM_ERP_URL: 'http://127.0.0.1:1',
  SYSTEM_WMS_URL: 'http://127.0.0.1:1',
  WMS_WEBHOOK_SECRETS: 'openapi-generator-placeholder-secret',
  OPS_ADMIN_TOKENS: 'openapi:openapi-generator-placeholder',
  MARKETPLACE_URL: 'http://127.0.0.1:1',
};

/** Generates one app's plugin metadata into `outDir/metadata.ts`, reading only that app and the libraries. */
function generateMetadata(app, outDir) {
  const { PluginMetadataGenerator } = require(
    path.join(root, 'node_modules/@nestjs/cli/lib/compiler/plugins/plugin-metadata-generator.js'),
  );
  const { ReadonlyVisitor } = require(path.join(root, 'node_modules/@nestjs/swagger/dist/plugin/index.js'));
  const srcDir = path.join(root, 'apps', app.name, 'src');
  fs.mkdirSync(scratch, { recursive: true });
  const tsconfig = path.join(scratch, `tsconfig.${app.name}.json`);
  // Only this app's sources: another app's DTOs must never be pulled into its metadata.
  fs.writeFileSync(
    tsconfig,
    JSON.stringify({
      extends: path.relative(scratch, path.join(root, 'tsconfig.json')),
      compilerOptions: { incremental: false },
      include: [
        path.relative(scratch, path.join(srcDir, '**/*.ts')),
        path.relative(scratch, path.join(root, 'libs/**/*.ts')),
      ],
      exclude: ['../../../**/*.spec.ts', '../../../**/*.integration-spec.ts', '../../../**/metadata.ts'],
    }),
  );
  fs.mkdirSync(outDir, { recursive: true });
  new PluginMetadataGenerator().generate({
    visitors: [
      new ReadonlyVisitor({ introspectComments: true, classValidatorShim: true, pathToSource: srcDir }),
    ],
    outputDir: outDir,
    watch: false,
    tsconfigPath: path.relative(process.cwd(), tsconfig),
    filename: 'metadata.ts',
    printDiagnostics: false,
  });
  return fs.readFileSync(path.join(outDir, 'metadata.ts'), 'utf8');
}

async function documentYaml(app, distDir) {
  const { loadConfig } = require(path.join(distDir, 'libs/config/src'));
  const { buildOpenApiDocument } = require(path.join(distDir, 'libs/app-platform/src'));
  const config = loadConfig(require(path.join(distDir, app.configModule))[app.configClass], PLACEHOLDER_ENV);
  const appModule = require(path.join(distDir, app.app));
  const document = await buildOpenApiDocument(appModule[app.module](config), appModule[app.spec](config));
  return yaml.dump(document, { sortKeys: true, lineWidth: -1, noRefs: true });
}

/** The part of a (possibly very long) line around where it first differs from `other`. */
function excerpt(line, other) {
  if (line === undefined) return '(none)';
  let at = 0;
  while (at < line.length && line[at] === (other ?? '')[at]) at++;
  const from = Math.max(0, at - 60);
  return `${from > 0 ? '…' : ''}${line.slice(from, at + 100)}${at + 100 < line.length ? '…' : ''}`;
}

function firstDifferences(expected, actual, max = 40) {
  const a = expected.split('\n');
  const b = actual.split('\n');
  const out = [];
  for (let i = 0; i < Math.max(a.length, b.length) && out.length < max; i++) {
    if (a[i] !== b[i])
      out.push(
        `  line ${i + 1}:\n    committed: ${excerpt(a[i], b[i])}\n    code:      ${excerpt(b[i], a[i])}`,
      );
  }
  return out.join('\n');
}

/** Copies the current documents to openapi/released: the baseline the next changes are checked against. */
function release() {
  fs.mkdirSync(releasedDir, { recursive: true });
  for (const app of APPS) {
    const from = path.join(root, 'openapi', `${app.name}.yaml`);
    const version = yaml.load(fs.readFileSync(from, 'utf8')).info.version;
    fs.copyFileSync(from, path.join(releasedDir, `${app.name}.yaml`));
    console.log(`openapi: released ${app.name} ${version}`);
  }
}

/** Each document against its released version: what is wrong, as messages (none when compatible). */
async function compatibilityProblems() {
  const problems = [];
  for (const app of APPS) {
    const releasedFile = path.join(releasedDir, `${app.name}.yaml`);
    const currentText = fs.readFileSync(path.join(root, 'openapi', `${app.name}.yaml`), 'utf8');
    if (!fs.existsSync(releasedFile)) {
      problems.push(`${app.name}: no released document (run "npm run openapi:release" once)`);
      continue;
    }
    const releasedText = fs.readFileSync(releasedFile, 'utf8');
    if (releasedText === currentText) continue;
    const released = yaml.load(releasedText);
    const current = yaml.load(currentText);
    const result = await compareDocuments(released, current);
    if (result.versionProblem) {
      const changes = result.breaking.length > 0 ? result.breaking : result.additive;
      problems.push(
        `${app.name}: ${result.versionProblem}\n${changes
          .slice(0, 20)
          .map((c) => `      ${c}`)
          .join('\n')}`,
      );
    }
    const changelog = CHANGELOGS[app.name];
    const version = /^(\d+\.\d+)/.exec(String(current.info.version))?.[1];
    if (changelog && version && current.info.version !== released.info.version) {
      const text = fs.readFileSync(path.join(root, changelog), 'utf8');
      if (!new RegExp(`^#+ ${version.replace('.', '\\.')}\\b`, 'm').test(text))
        problems.push(`${app.name}: ${changelog} has no changelog entry "### ${version}"`);
    }
  }
  return problems;
}

async function main(mode) {
  if (mode === 'release') return release();
  if (mode !== 'write' && mode !== 'check') {
    console.error('usage: node scripts/openapi.js write|check|release');
    process.exit(2);
  }
  const started = Date.now();
  // `write <app>…` regenerates only those apps (quicker while working on one); check always does all.
  const only = mode === 'write' ? process.argv.slice(3) : [];
  const selected = only.length > 0 ? APPS.filter((a) => only.includes(a.name)) : APPS;
  const drift = [];
  for (const app of selected) {
    const committedPath = path.join(root, 'apps', app.name, 'src', 'metadata.ts');
    const fresh = generateMetadata(app, path.join(scratch, 'metadata', app.name));
    const committed = fs.existsSync(committedPath) ? fs.readFileSync(committedPath, 'utf8') : '';
    if (mode === 'write') fs.writeFileSync(committedPath, fresh);
    else if (fresh !== committed)
      drift.push({ file: path.relative(root, committedPath), diff: firstDifferences(committed, fresh) });
  }
  if (drift.length === 0) {
    // The documents are built from the sources as they are (with the committed metadata, now known current).
    const distDir = mode === 'write' ? path.join(root, 'dist') : path.join(scratch, 'dist');
    await build({ outDir: distDir });
    for (const app of selected) {
      const file = path.join(root, 'openapi', `${app.name}.yaml`);
      const fresh = await documentYaml(app, distDir);
      if (mode === 'write') {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, fresh);
        console.log(`openapi: wrote ${path.relative(root, file)}`);
      } else {
        const committed = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
        if (committed !== fresh)
          drift.push({ file: path.relative(root, file), diff: firstDifferences(committed, fresh) });
      }
    }
    // The partner's generated types (test/contract), from the storefront document as it now is.
    const typesFile = path.join(root, STOREFRONT_TYPES);
    const types = await storefrontTypes(root);
    if (mode === 'write') {
      fs.writeFileSync(typesFile, types);
      console.log(`openapi: wrote ${STOREFRONT_TYPES}`);
    } else {
      const committed = fs.existsSync(typesFile) ? fs.readFileSync(typesFile, 'utf8') : '';
      if (committed !== types)
        drift.push({ file: STOREFRONT_TYPES, diff: firstDifferences(committed, types) });
    }
  }
  if (drift.length > 0) {
    for (const d of drift)
      console.error(`openapi: ${d.file} differs from what the code generates:\n${d.diff}`);
    console.error('openapi: run "npm run openapi" and commit the result');
    process.exit(1);
  }
  const lint = lintDocuments(root);
  const compatibility = await compatibilityProblems();
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (!lint.ok) console.error(`openapi: redocly lint (redocly.yaml) failed:\n${lint.output}`);
  for (const p of compatibility) console.error(`openapi: ${p}`);
  if (!lint.ok || compatibility.length > 0) {
    if (compatibility.length > 0)
      console.error(
        'openapi: a breaking change needs a new major version; an additive one a new minor version and a changelog entry (docs/openapi.md)',
      );
    process.exit(1);
  }
  console.log(
    mode === 'write'
      ? `openapi: generated in ${seconds} s; lint clean; compatible with the released documents`
      : `openapi: ${APPS.length} documents match the code, lint clean, compatible with the released documents (${seconds} s)`,
  );
}

main(process.argv[2]).catch((err) => {
  console.error(err);
  process.exit(1);
});
