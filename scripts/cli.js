'use strict';
// `npm run cli -- <args>`: the operator CLI (apps/cli) with the same set-up as `npm start`: dependencies,
// Node 22, the local PostgreSQL and Redis unless DATABASE_URL is set, and a build when the sources changed.
// Everything this script says goes to stderr, so that `--json` output on stdout stays parseable.
const fs = require('node:fs');
const path = require('node:path');
const { root, log, UserError, main, runSync, runForeground, exitLike } = require('./lib/run');
const { ensureDeps, ensureNode22 } = require('./lib/ensure-deps');

const CLI_MAIN = path.join(root, 'dist', 'apps', 'cli', 'src', 'main.js');
// What scripts/build.js compiles: specs and declarations are not part of the build, so they do not make it stale.
const NOT_BUILT = /\.(spec|integration-spec|e2e-spec)\.ts$|\.d\.ts$/;

/** Why dist/ must be rebuilt before running the CLI, or null when it is newer than every compiled source. */
function staleBuild() {
  let built;
  try {
    built = fs.statSync(CLI_MAIN).mtimeMs;
  } catch {
    return 'there is no build yet';
  }
  const newer = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        const found = newer(full);
        if (found) return found;
      } else if (
        entry.name.endsWith('.ts') &&
        !NOT_BUILT.test(entry.name) &&
        fs.statSync(full).mtimeMs > built
      ) {
        return full;
      }
    }
    return null;
  };
  for (const dir of ['apps', 'libs']) {
    const found = newer(path.join(root, dir));
    if (found) return `${path.relative(root, found)} changed since the last build`;
  }
  return null;
}

main(async () => {
  const args = process.argv.slice(2);
  ensureDeps();
  await ensureNode22(__filename, args);

  const env = { ...process.env };
  if (!env.DATABASE_URL) {
    const { ensureServices } = require('./lib/ensure-services');
    Object.assign(env, await ensureServices({ database: 'stockbridge', announce: false }));
  }

  const stale = staleBuild();
  if (stale) {
    log(`building (${stale})`);
    if (runSync(process.execPath, [path.join(root, 'scripts', 'build.js')], { cwd: root }) !== 0) {
      throw new UserError('the build failed');
    }
  }

  exitLike(await runForeground(process.execPath, ['--enable-source-maps', CLI_MAIN, ...args], { env }));
});
