'use strict';
// Lints the OpenAPI documents with Redocly CLI under redocly.yaml (every API listed there), as `npm test`
// does: clean means no error and no warning.
const path = require('node:path');
const { spawnSync } = require('node:child_process');

function lintDocuments(root) {
  const cli = path.join(root, 'node_modules', '@redocly', 'cli', 'bin', 'cli.js');
  const res = spawnSync(process.execPath, [cli, 'lint', '--format=stylish', '--max-problems=50'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' },
  });
  const output = `${res.stdout ?? ''}${res.stderr ?? ''}`;
  // Redocly exits 0 with warnings; ours must be clean of those too.
  const clean = res.status === 0 && !/\bwarning\b/i.test(output.replace(/You have 0 warnings?/g, ''));
  return { ok: clean, output: output.trim() };
}

module.exports = { lintDocuments };
