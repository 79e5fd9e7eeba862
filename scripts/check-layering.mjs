// Proves the layering rule of eslint.config.mjs bites: lints import statements as if they sat in files of
// each layer and checks which are refused. Part of `npm test`; exits 1 when the rule lets a violation through
// or refuses an allowed import.
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { layeringConfigs } from '../eslint.config.mjs';

const cases = [
  // [file, import, must be refused]
  ['apps/experience-storefront/src/x.ts', '@stockbridge/ledger', true],
  ['apps/experience-storefront/src/x.ts', '@stockbridge/persistence', true],
  ['apps/experience-storefront/src/x.ts', '../../process-reservations/src/app', true],
  ['apps/experience-storefront/src/reservations/x.ts', '../../../process-reservations/src/app', true],
  ['apps/experience-storefront/src/x.ts', '@stockbridge/orders', true],
  ['apps/system-wms/src/x.ts', '@stockbridge/orders', true],
  ['apps/process-allocation/src/x.ts', '@stockbridge/orders', false],
  ['apps/process-allocation/src/x.ts', '../../process-reservations/src/app', true],
  ['apps/experience-storefront/src/x.ts', '@stockbridge/read-model', false],
  ['apps/experience-storefront/src/x.ts', '@stockbridge/http', false],
  ['apps/experience-storefront/src/x.ts', './auth/api-key.guard', false],
  ['apps/experience-pos/src/x.ts', '@stockbridge/ledger', true],
  ['apps/system-erp/src/x.ts', '@stockbridge/ledger', true],
  ['apps/system-erp/src/x.ts', '../../process-reservations/src/app', true],
  ['apps/system-erp/src/x.ts', '@stockbridge/canonical', false],
  ['apps/process-reservations/src/x.ts', '@stockbridge/ledger', false],
  ['apps/process-reservations/src/x.ts', '../../experience-storefront/src/app', true],
  ['apps/process-reservations/src/x.ts', '@stockbridge/ledger/src/db', true],
  ['apps/process-reservations/src/x.ts', '../../../libs/ledger/src', true],
  ['libs/ledger/src/x.ts', '../../../apps/process-reservations/src/app', true],
  ['libs/ledger/src/x.ts', '@stockbridge/canonical', false],
  ['libs/ledger/src/x.ts', '../../persistence/src/data-source', true],
  ['libs/ledger/src/x.ts', './journal', false],
];

const eslint = new ESLint({
  overrideConfigFile: true,
  overrideConfig: [
    { files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } },
    ...layeringConfigs(),
  ],
});

let wrong = 0;
for (const [file, specifier, refused] of cases) {
  const [result] = await eslint.lintText(`import { x } from '${specifier}';\nexport { x };\n`, {
    filePath: file,
  });
  const got = result.messages.some((m) => m.ruleId === 'no-restricted-imports');
  if (got !== refused) {
    wrong++;
    console.error(
      `layering rule: ${file} importing '${specifier}' should be ${refused ? 'refused' : 'allowed'} but is ${got ? 'refused' : 'allowed'}`,
    );
  }
}
if (wrong > 0) {
  console.error(`layering rule: ${wrong} of ${cases.length} cases wrong`);
  process.exit(1);
}
console.log(`layering rule: ${cases.length}/${cases.length} cases behave`);
