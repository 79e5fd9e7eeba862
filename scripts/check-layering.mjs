// Proves the layering rules of eslint.config.mjs bite: lints import statements as if they sat in files of
// each layer and checks which are refused. Every pattern of every group must be shown refusing at least one
// case, so a rule added without a case here (or a case that no longer reaches its rule) fails too.
// Part of `npm test`; exits 1 when a rule lets a violation through, refuses an allowed import, or is untested.
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { layering, layeringConfigs } from '../eslint.config.mjs';

/** An import statement of `names` (default `{ x }`) from `specifier`. */
const importOf = (specifier, names = '{ x }') => `import ${names} from '${specifier}';\n`;

const cases = [
  // [file, import specifier, must be refused, imported names (optional)]
  // experience apps: no ledger, persistence, orders or catalog files; no mapping or integration; no other app
  ['apps/experience-storefront/src/x.ts', '@stockbridge/ledger', true],
  ['apps/experience-storefront/src/x.ts', '@stockbridge/persistence', true],
  ['apps/experience-storefront/src/x.ts', '@stockbridge/orders', true],
  ['apps/experience-pos/src/x.ts', '@stockbridge/ledger', true],
  ['apps/experience-storefront/src/x.ts', '@stockbridge/catalog-files', true],
  ['apps/experience-storefront/src/x.ts', '@stockbridge/mapping', true],
  ['apps/experience-storefront/src/x.ts', '@stockbridge/integration', true],
  ['apps/experience-pos/src/checkout/x.ts', '@stockbridge/mapping', true],
  ['apps/experience-storefront/src/x.ts', '../../process-reservations/src/app', true],
  ['apps/experience-storefront/src/reservations/x.ts', '../../../process-reservations/src/app', true],
  ['apps/experience-storefront/src/x.ts', '../../../libs/ledger/src', true],
  ['apps/experience-storefront/src/x.ts', '@stockbridge/read-model/src/availability', true],
  ['apps/experience-storefront/src/x.ts', '@stockbridge/read-model', false],
  ['apps/experience-storefront/src/x.ts', '@stockbridge/app-platform', false],
  ['apps/experience-storefront/src/x.ts', '@stockbridge/api-keys', false],
  ['apps/experience-storefront/src/x.ts', '@stockbridge/canonical', false],
  ['apps/experience-storefront/src/x.ts', './auth/api-key.guard', false],
  ['apps/experience-pos/src/x.ts', '../../experience-storefront/src/app', true],
  ['apps/experience-pos/src/pickups/x.ts', '@stockbridge/integration', true],
  ['apps/experience-pos/src/x.ts', '@stockbridge/catalog-files', true],
  ['apps/experience-pos/src/x.ts', '@stockbridge/channel-api', false],
  ['apps/experience-pos/src/x.ts', '@stockbridge/api-keys', false],
  // the marketplace app: an experience app with tables of its own (DatabaseModule and Db, nothing else of persistence)
  ['apps/experience-marketplace/src/x.ts', '@stockbridge/ledger', true],
  ['apps/experience-marketplace/src/x.ts', '@stockbridge/persistence', true, '{ dataSourceOptions }'],
  ['apps/experience-marketplace/src/x.ts', '@stockbridge/persistence', false, '{ DatabaseModule, Db }'],
  ['apps/experience-marketplace/src/outbound/x.ts', '@stockbridge/integration', true],
  ['apps/experience-marketplace/src/x.ts', '../../experience-storefront/src/app', true],
  ['apps/experience-marketplace/src/x.ts', '@stockbridge/read-model/src/availability-read-model', true],
  ['apps/experience-marketplace/src/x.ts', '../../../libs/read-model/src', true],
  ['apps/experience-marketplace/src/x.ts', '@stockbridge/messaging', false],
  ['apps/experience-marketplace/src/x.ts', '@stockbridge/read-model', false],
  // system apps: no ledger, orders or catalog files; of persistence only DatabaseModule; no other app
  ['apps/system-wms/src/x.ts', '@stockbridge/orders', true],
  ['apps/system-erp/src/x.ts', '@stockbridge/ledger', true],
  ['apps/system-wms/src/x.ts', '@stockbridge/catalog-files', true],
  ['apps/system-erp/src/x.ts', '@stockbridge/persistence', true, '{ Db }'],
  ['apps/system-wms/src/adapters/x.spec.ts', '@stockbridge/persistence', true, 'type { Db }'],
  ['apps/system-oms/src/x.ts', '@stockbridge/persistence', true, '{ DatabaseModule, Db }'],
  ['apps/system-oms/src/x.ts', '@stockbridge/persistence', true, '* as persistence'],
  ['apps/system-wms/src/x.ts', '@stockbridge/persistence', true, '{ dataSourceOptions }'],
  ['apps/system-erp/src/x.ts', '../../process-reservations/src/app', true],
  ['apps/system-erp/src/x.ts', '@stockbridge/ledger/src/db', true],
  ['apps/system-erp/src/x.ts', '../../../libs/mapping/src', true],
  ['apps/system-erp/src/x.ts', '@stockbridge/persistence', false, '{ DatabaseModule }'],
  ['apps/system-erp/src/x.ts', '@stockbridge/canonical', false],
  ['apps/system-wms/src/x.ts', '@stockbridge/mapping', false],
  ['apps/system-wms/src/x.ts', '@stockbridge/integration', false],
  ['apps/system-wms/src/x.ts', '@stockbridge/messaging', false],
  // process apps, ops and the CLI: libraries by alias, no other app
  ['apps/process-allocation/src/x.ts', '@stockbridge/orders', false],
  ['apps/process-allocation/src/x.ts', '../../process-reservations/src/app', true],
  ['apps/process-reservations/src/x.ts', '@stockbridge/ledger', false],
  ['apps/process-reservations/src/x.ts', '@stockbridge/persistence', false, '{ Db }'],
  ['apps/process-reservations/src/x.ts', '../../experience-storefront/src/app', true],
  ['apps/process-reservations/src/x.ts', '@stockbridge/ledger/src/db', true],
  ['apps/process-reservations/src/x.ts', '../../../libs/ledger/src', true],
  ['apps/ops/src/x.ts', '../../sandbox/src/app', true],
  ['apps/cli/src/x.ts', '@stockbridge/ledger', false],
  ['apps/cli/src/x.ts', '@stockbridge/catalog-files', false],
  // the sandbox: of the platform only the app platform (http, and the config it is built on)
  ['apps/sandbox/src/x.ts', '@stockbridge/app-platform', false],
  ['apps/sandbox/src/x.ts', '@stockbridge/config', false],
  ['apps/sandbox/src/x.ts', 'pg', false],
  ['apps/sandbox/src/infra/x.ts', './sandbox-schema', false],
  ['apps/sandbox/src/infra/x.ts', '@stockbridge/persistence', true, '{ Db }'],
  ['apps/sandbox/src/x.ts', '@stockbridge/canonical', true],
  ['apps/sandbox/src/x.ts', '@stockbridge/messaging', true],
  ['apps/sandbox/src/erp/x.ts', '@stockbridge/mapping', true],
  ['apps/sandbox/src/x.ts', '@stockbridge/app-platform/src/create-app', true],
  ['apps/sandbox/src/x.ts', '../../../libs/app-platform/src', true],
  ['apps/sandbox/src/x.ts', '../../system-erp/src/app', true],
  // libraries: never an app, another library only by its alias; the ledger never imports catalog-files
  ['libs/ledger/src/x.ts', '../../../apps/process-reservations/src/app', true],
  ['libs/ledger/src/x.ts', '@stockbridge/canonical', false],
  ['libs/ledger/src/x.ts', '@stockbridge/canonical/src/stock', true],
  ['libs/ledger/src/x.ts', '../../persistence/src/data-source', true],
  ['libs/ledger/src/x.ts', './journal', false],
  ['libs/ledger/src/x.ts', '@stockbridge/catalog-files', true],
  ['libs/orders/src/x.ts', '../../../apps/process-allocation/src/app', true],
  ['libs/orders/src/x.ts', '@stockbridge/ledger/src/db', true],
  ['libs/orders/src/x.ts', '../../ledger/src/db', true],
  ['libs/catalog-files/src/x.ts', '@stockbridge/ledger', false],
  ['libs/catalog-files/src/x.ts', '@stockbridge/canonical', false],
  // the channel-api library: the experience layer's rules, and a library's
  ['libs/channel-api/src/x.ts', '@stockbridge/ledger', true],
  ['libs/channel-api/src/x.ts', '@stockbridge/mapping', true],
  ['libs/channel-api/src/x.ts', '../../../apps/experience-pos/src/app', true],
  ['libs/channel-api/src/x.ts', '@stockbridge/api-keys/src/api-keys', true],
  ['libs/channel-api/src/x.ts', '../../api-keys/src/api-keys', true],
  ['libs/channel-api/src/x.ts', '@stockbridge/api-keys', false],
  ['libs/channel-api/src/x.ts', '@stockbridge/app-platform', false],
  // the canonical model: nothing of ours, no framework
  ['libs/canonical/src/x.ts', './stock', false],
  ['libs/canonical/src/x.ts', 'node:crypto', false],
  ['libs/canonical/src/x.ts', '@stockbridge/ledger', true],
  ['libs/canonical/src/x.ts', '@stockbridge/app-platform', true],
  ['libs/canonical/src/x.ts', '@stockbridge/config/src/common.config', true],
  ['libs/canonical/src/x.ts', '../../ledger/src/db', true],
  ['libs/canonical/src/x.ts', '../../ledger', true],
  ['libs/canonical/src/x.ts', '../../../apps/process-reservations/src/app', true],
  ['libs/canonical/src/x.ts', '@nestjs/common', true],
  ['libs/canonical/src/x.ts', 'pg', true],
];

const eslint = new ESLint({
  overrideConfigFile: true,
  overrideConfig: [
    { files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } },
    ...layeringConfigs(),
  ],
});

/** The layering group whose restrictions apply to `file` (ESLint keeps the last matching one). */
async function groupOf(file) {
  const config = await eslint.calculateConfigForFile(file);
  const rule = config?.rules?.['no-restricted-imports'];
  if (!rule) return -1;
  const applied = JSON.stringify(rule[1].patterns);
  return layering.findIndex((g) => JSON.stringify(g.patterns) === applied);
}

let wrong = 0;
/** `group:pattern` indexes shown refusing an import. */
const shown = new Set();
for (const [file, specifier, refused, names] of cases) {
  const source = `${importOf(specifier, names)}export { x };\n`;
  const [result] = await eslint.lintText(source, { filePath: file });
  const refusals = result.messages.filter((m) => m.ruleId === 'no-restricted-imports');
  const fatal = result.messages.filter((m) => m.fatal);
  if (fatal.length > 0) {
    wrong++;
    console.error(`layering rule: ${file} importing '${specifier}' did not parse: ${fatal[0].message}`);
    continue;
  }
  const got = refusals.length > 0;
  if (got !== refused) {
    wrong++;
    console.error(
      `layering rule: ${file} importing ${names ?? '{ x }'} from '${specifier}' should be ${refused ? 'refused' : 'allowed'} but is ${got ? 'refused' : 'allowed'}`,
    );
  }
  const g = await groupOf(file);
  if (g < 0) continue;
  layering[g].patterns.forEach((p, i) => {
    if (refusals.some((m) => m.message.includes(p.message))) shown.add(`${g}:${i}`);
  });
}

let untested = 0;
layering.forEach((group, g) => {
  group.patterns.forEach((p, i) => {
    if (shown.has(`${g}:${i}`)) return;
    untested++;
    console.error(
      `layering rule: no case shows ${group.files.join(', ')} refusing ${p.group.join(', ')}; add one to scripts/check-layering.mjs`,
    );
  });
});

if (wrong > 0 || untested > 0) {
  console.error(`layering rule: ${wrong} of ${cases.length} cases wrong, ${untested} patterns untested`);
  process.exit(1);
}
const patterns = layering.reduce((n, g) => n + g.patterns.length, 0);
console.log(
  `layering rule: ${cases.length}/${cases.length} cases behave; each of the ${patterns} patterns of ${layering.length} groups refuses one`,
);
