'use strict';
// Compares an OpenAPI document with its last released version (openapi/released/<app>.yaml) for clients'
// sake. Bodies, paths, operations, status codes and response headers are compared by openapi-diff (set
// theory over JSON Schema: a request that accepts less, or a response that may send something a client never
// saw, is breaking); parameters, which openapi-diff does not compare, by the small check below. Then the
// version rule: a breaking change needs a new major version, an additive one a new minor version.
const openapiDiff = require('openapi-diff');

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

function parseVersion(v) {
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(String(v ?? ''));
  return m ? { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]) } : undefined;
}

function resolve(doc, node) {
  let n = node;
  for (let i = 0; n && n.$ref && i < 20; i++) {
    n = n.$ref
      .replace(/^#\//, '')
      .split('/')
      .reduce((acc, key) => (acc ? acc[key.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined), doc);
  }
  return n;
}

function parametersOf(doc, pathItem, operation) {
  const byKey = new Map();
  for (const p of [...(pathItem.parameters ?? []), ...(operation.parameters ?? [])]) {
    const r = resolve(doc, p);
    if (r) byKey.set(`${r.in}:${r.in === 'header' ? r.name.toLowerCase() : r.name}`, r);
  }
  return byKey;
}

/** Ways a parameter's schema accepts less than before (what a client sent may now be refused). */
function narrowing(before = {}, after = {}) {
  const out = [];
  if ((before.type ?? 'string') !== (after.type ?? 'string')) out.push(`type ${before.type} → ${after.type}`);
  if (after.enum && (!before.enum || before.enum.some((v) => !after.enum.includes(v))))
    out.push('enum values removed');
  if (after.pattern !== undefined && after.pattern !== before.pattern) out.push('pattern changed');
  for (const k of ['maxLength', 'maximum', 'maxItems'])
    if (after[k] !== undefined && (before[k] === undefined || after[k] < before[k])) out.push(`${k} lowered`);
  for (const k of ['minLength', 'minimum', 'minItems'])
    if (after[k] !== undefined && (before[k] === undefined || after[k] > before[k])) out.push(`${k} raised`);
  return out;
}

/** Parameter changes: a new required parameter, a removed one, one made required, or one accepting less. */
function parameterChanges(released, current) {
  const breaking = [];
  const additive = [];
  for (const [path, item] of Object.entries(current.paths ?? {})) {
    const releasedItem = released.paths?.[path];
    if (!releasedItem) continue;
    for (const method of METHODS) {
      const op = item[method];
      const releasedOp = releasedItem[method];
      if (!op || !releasedOp) continue;
      const where = `${method.toUpperCase()} ${path}`;
      const before = parametersOf(released, releasedItem, releasedOp);
      const after = parametersOf(current, item, op);
      for (const [key, p] of after) {
        const old = before.get(key);
        if (!old) {
          if (p.required) breaking.push(`${where}: new required parameter ${key}`);
          else additive.push(`${where}: new optional parameter ${key}`);
          continue;
        }
        if (p.required && !old.required) breaking.push(`${where}: parameter ${key} became required`);
        for (const n of narrowing(resolve(released, old.schema), resolve(current, p.schema)))
          breaking.push(`${where}: parameter ${key} accepts less (${n})`);
      }
      for (const key of before.keys())
        if (!after.has(key)) breaking.push(`${where}: parameter ${key} removed`);
    }
  }
  return { breaking, additive };
}

/**
 * The apps refuse a request body property their DTO does not declare (ValidationPipe forbidNonWhitelisted),
 * while the documents leave `additionalProperties` open; compared as written, a new optional property of a
 * request body would read as a request that accepts less (breaking). So request bodies are compared as the
 * apps treat them: inlined (schemas shared with responses stay as they are) and closed wherever a schema
 * declares properties and says nothing of others (not inside `allOf`, whose parts combine).
 */
function closeRequestBodies(doc) {
  const out = structuredClone(doc);
  const close = (node, inAllOf, depth) => {
    const schema = resolve(out, node);
    if (!schema || typeof schema !== 'object' || depth > 32) return schema;
    const copy = { ...schema };
    if (copy.properties) {
      copy.properties = Object.fromEntries(
        Object.entries(copy.properties).map(([k, v]) => [k, close(v, false, depth + 1)]),
      );
      if (copy.additionalProperties === undefined && !inAllOf) copy.additionalProperties = false;
    }
    if (copy.items) copy.items = close(copy.items, false, depth + 1);
    if (copy.allOf) copy.allOf = copy.allOf.map((s) => close(s, true, depth + 1));
    for (const k of ['anyOf', 'oneOf'])
      if (copy[k]) copy[k] = copy[k].map((s) => close(s, inAllOf, depth + 1));
    return copy;
  };
  for (const pathItem of Object.values(out.paths ?? {}))
    for (const method of METHODS) {
      const body = resolve(out, pathItem?.[method]?.requestBody);
      if (!body?.content) continue;
      pathItem[method].requestBody = {
        ...body,
        content: Object.fromEntries(
          Object.entries(body.content).map(([type, media]) => [
            type,
            media.schema ? { ...media, schema: close(media.schema, false, 0) } : media,
          ]),
        ),
      };
    }
  return out;
}

function describe(d) {
  const details = [...d.sourceSpecEntityDetails, ...d.destinationSpecEntityDetails];
  return `${d.code} at ${details.map((x) => x.location).join(', ') || '(document)'}`;
}

/**
 * `{ breaking, additive, versionProblem }` between a released document and the current one (both parsed
 * objects): the changes found, and what is wrong with `info.version` given them (or null).
 */
async function compareDocuments(released, current) {
  const outcome = await openapiDiff.diffSpecs({
    sourceSpec: {
      content: JSON.stringify(closeRequestBodies(released)),
      location: 'released',
      format: 'openapi3',
    },
    destinationSpec: {
      content: JSON.stringify(closeRequestBodies(current)),
      location: 'current',
      format: 'openapi3',
    },
  });
  const params = parameterChanges(released, current);
  const breaking = [...(outcome.breakingDifferences ?? []).map(describe), ...params.breaking];
  const additive = [...outcome.nonBreakingDifferences.map(describe), ...params.additive];
  const was = parseVersion(released.info?.version);
  const now = parseVersion(current.info?.version);
  let versionProblem = null;
  if (!was || !now)
    versionProblem = `info.version must be major.minor.patch (${released.info?.version} → ${current.info?.version})`;
  else if (breaking.length > 0 && now.major <= was.major)
    versionProblem = `breaking changes need a new major version (info.version is ${current.info.version}, released ${released.info.version})`;
  else if (breaking.length === 0 && additive.length > 0 && now.major === was.major && now.minor <= was.minor)
    versionProblem = `additive changes need a new minor version (info.version is ${current.info.version}, released ${released.info.version})`;
  else if (now.major < was.major || (now.major === was.major && now.minor < was.minor))
    versionProblem = `info.version ${current.info.version} is older than the released ${released.info.version}`;
  return { breaking, additive, versionProblem };
}

module.exports = { compareDocuments, parseVersion };
