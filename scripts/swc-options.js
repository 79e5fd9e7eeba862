'use strict';
// One SWC configuration for the build and for Jest, so tests run exactly the code that ships.
const path = require('node:path');

const root = path.resolve(__dirname, '..');

function swcOptions() {
  return {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      target: 'es2023',
      keepClassNames: true,
      baseUrl: root,
      paths: { '@stockbridge/*': ['libs/*/src'] },
    },
    module: { type: 'commonjs' },
    sourceMaps: true,
  };
}

module.exports = { swcOptions, root };
