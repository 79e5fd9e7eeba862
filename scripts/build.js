'use strict';
// Compiles every app and library in one pass with SWC into dist/, keeping the source tree's layout
// so that one build serves all apps (no bundle per app). Type checking is `npm run typecheck`.
const fs = require('node:fs');
const path = require('node:path');
const swc = require('@swc/core');
const { swcOptions, root } = require('./swc-options');

const SOURCE_DIRS = ['apps', 'libs'];
const SKIP = /\.(spec|integration-spec|e2e-spec)\.ts$|\.d\.ts$/;

function listSources(dir, out = []) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) listSources(full, out);
    else if (entry.name.endsWith('.ts') && !SKIP.test(entry.name)) out.push(full);
  }
  return out;
}

async function build({ outDir = path.join(root, 'dist') } = {}) {
  const started = Date.now();
  const files = SOURCE_DIRS.flatMap((d) => listSources(path.join(root, d)));
  const base = swcOptions();
  await Promise.all(
    files.map(async (file) => {
      const rel = path.relative(root, file);
      const outFile = path.join(outDir, rel.replace(/\.ts$/, '.js'));
      const result = await swc.transformFile(file, {
        ...base,
        filename: file,
        sourceFileName: path.relative(path.dirname(outFile), file),
        outputPath: outFile,
      });
      fs.mkdirSync(path.dirname(outFile), { recursive: true });
      fs.writeFileSync(outFile, `${result.code}\n//# sourceMappingURL=${path.basename(outFile)}.map\n`);
      if (result.map) fs.writeFileSync(`${outFile}.map`, result.map);
    }),
  );
  return { files: files.length, ms: Date.now() - started };
}

module.exports = { build };

if (require.main === module) {
  build()
    .then(({ files, ms }) => console.log(`built ${files} files into dist/ in ${ms} ms`))
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
}
