'use strict';
// The TypeScript types a partner generates from the storefront document (openapi-typescript), as committed
// in test/contract/storefront-api.generated.ts for the typed partner client of test/contract. `npm run openapi`
// writes them; the contract test regenerates them and fails when the committed file differs.
const path = require('node:path');
const { pathToFileURL } = require('node:url');

const STOREFRONT_DOCUMENT = path.join('openapi', 'experience-storefront.yaml');
const STOREFRONT_TYPES = path.join('test', 'contract', 'storefront-api.generated.ts');

/** The generated types of the storefront document at `root`, formatted like the rest of the code. */
async function storefrontTypes(root) {
  const { default: openapiTS, astToString } = require('openapi-typescript');
  const prettier = require('prettier');
  const ast = await openapiTS(pathToFileURL(path.join(root, STOREFRONT_DOCUMENT)));
  const header =
    '// Generated from openapi/experience-storefront.yaml by openapi-typescript (npm run openapi); do not edit.\n';
  const file = path.join(root, STOREFRONT_TYPES);
  const options = (await prettier.resolveConfig(file)) ?? {};
  return prettier.format(header + astToString(ast), { ...options, filepath: file });
}

module.exports = { storefrontTypes, STOREFRONT_DOCUMENT, STOREFRONT_TYPES };

// `node scripts/lib/storefront-types.js` prints the types (the contract test runs it in a process of its own).
if (require.main === module) {
  storefrontTypes(path.resolve(__dirname, '..', '..')).then(
    (types) => process.stdout.write(types),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
