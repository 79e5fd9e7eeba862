'use strict';
// Experiment (not part of npm run bench): preload into a Node process (node -r bench/experiments/name-statements.js)
// to give every parameterised `pg` query a statement name derived from its text, so that PostgreSQL parses
// and plans each statement once per connection instead of on every call (node-postgres sends unnamed
// statements unless a query has a `name`). Used to measure what prepared statements would save, e.g.:
//
//   node -r ./bench/experiments/name-statements.js bench/db-load.js '{"op":"reserve",…}'
const crypto = require('node:crypto');

const { Client } = require(require.resolve('pg', { paths: [process.cwd()] }));
const query = Client.prototype.query;
Client.prototype.query = function namedQuery(config, values, callback) {
  if (typeof config === 'string' && Array.isArray(values)) {
    const name = `s${crypto.createHash('sha1').update(config).digest('hex').slice(0, 16)}`;
    return query.call(this, { name, text: config, values }, callback);
  }
  return query.call(this, config, values, callback);
};
