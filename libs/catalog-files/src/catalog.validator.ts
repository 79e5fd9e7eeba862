import { LOCATION_RECONCILIATION_POLICIES } from '@stockbridge/ledger';
import type { CatalogFile, CatalogSection } from './catalog-file';
import { isRecord, POLICY_FIELDS, rowOrigins } from './catalog-file.internal';

// The same patterns the database enforces (initial-ledger migration), checked up front for readable errors.
const ITEM_CODE = /^[A-Za-z0-9._-]{1,64}$/;
const CHANNEL_CODE = /^[a-z0-9-]{1,32}$/;
const MAX_QUANTITY = 1_000_000_000;
const MAX_INT32 = 2_147_483_647;
/** The longest reservation the process API accepts (7 days); a channel's maximum TTL cannot exceed it. */
const MAX_TTL_SECONDS = 604_800;

const FIELDS: Record<CatalogSection, readonly string[]> = {
  locations: ['code', 'name', 'type', 'latitude', 'longitude', 'dailyShipCapacity', 'reconciliationPolicy'],
  skus: ['sku', 'name', 'priceCents', 'costCents'],
  channels: ['code', 'name', 'policy', 'pool'],
  stock: ['sku', 'location', 'onHand', 'safetyStock'],
};

export interface KnownCodes {
  /** Locations that exist already (in the database) and may be referenced without being in the file. */
  locations?: Iterable<string>;
  /** SKUs that exist already and may be referenced without being in the file. */
  skus?: Iterable<string>;
}

/**
 * Every problem of a catalog file as a readable line with its path, e.g.
 * `stock[12].onHand: must be an integer between 0 and 1000000000 (got -3)`; empty when the file is valid.
 * A pool or stock row may reference locations and SKUs defined in the file or listed in `known`.
 */
export function validateCatalog(c: CatalogFile, known: KnownCodes = {}): string[] {
  const problems: string[] = [];
  const file = c as unknown as Record<string, unknown>;
  const locations = new Set(known.locations ?? []);
  const skus = new Set(known.skus ?? []);

  const rows = (section: CatalogSection): { row: Record<string, unknown>; at: Path }[] => {
    const list = file[section];
    if (list === undefined) return [];
    if (!Array.isArray(list)) {
      problems.push(`${section}: must be a list`);
      return [];
    }
    const out: { row: Record<string, unknown>; at: Path }[] = [];
    list.forEach((row: unknown, i) => {
      const at = new Path(`${section}[${i}]`, isRecord(row) ? rowOrigins.get(row) : undefined);
      if (!isRecord(row)) {
        problems.push(at.says('must be an object'));
        return;
      }
      for (const key of Object.keys(row)) {
        if (!FIELDS[section].includes(key)) {
          problems.push(at.field(key).says(`unknown field (expected ${FIELDS[section].join(', ')})`));
        }
      }
      out.push({ row, at });
    });
    return out;
  };

  const firstLocation = new Map<string, string>();
  for (const { row, at } of rows('locations')) {
    const code = row.code;
    if (
      checkCode(problems, at.field('code'), code, ITEM_CODE, 'must be 1–64 letters, digits, ".", "_" or "-"')
    ) {
      const first = firstLocation.get(code as string);
      if (first)
        problems.push(at.field('code').says(`duplicate location "${String(code)}" (first at ${first})`));
      else firstLocation.set(code as string, at.where);
      locations.add(code as string);
    }
    checkName(problems, at, row.name);
    if (row.type !== 'warehouse' && row.type !== 'store') {
      problems.push(at.field('type').says(`must be "warehouse" or "store"${got(row.type)}`));
    }
    checkCoordinate(problems, at.field('latitude'), row.latitude, 90);
    checkCoordinate(problems, at.field('longitude'), row.longitude, 180);
    if (row.dailyShipCapacity !== undefined && row.dailyShipCapacity !== null)
      checkInteger(problems, at.field('dailyShipCapacity'), row.dailyShipCapacity, 0, MAX_INT32);
    const policy = row.reconciliationPolicy;
    if (
      policy !== undefined &&
      policy !== null &&
      !(LOCATION_RECONCILIATION_POLICIES as readonly unknown[]).includes(policy)
    ) {
      problems.push(
        at
          .field('reconciliationPolicy')
          .says(`must be "trust-wms", "trust-erp" or "report-only"${got(policy)}`),
      );
    }
  }

  const firstSku = new Map<string, string>();
  for (const { row, at } of rows('skus')) {
    const sku = row.sku;
    if (
      checkCode(problems, at.field('sku'), sku, ITEM_CODE, 'must be 1–64 letters, digits, ".", "_" or "-"')
    ) {
      const first = firstSku.get(sku as string);
      if (first) problems.push(at.field('sku').says(`duplicate SKU "${String(sku)}" (first at ${first})`));
      else firstSku.set(sku as string, at.where);
      skus.add(sku as string);
    }
    checkName(problems, at, row.name);
    if (row.priceCents !== undefined)
      checkInteger(problems, at.field('priceCents'), row.priceCents, 0, Number.MAX_SAFE_INTEGER);
    if (row.costCents !== undefined)
      checkInteger(problems, at.field('costCents'), row.costCents, 0, Number.MAX_SAFE_INTEGER);
  }

  const firstChannel = new Map<string, string>();
  for (const { row, at } of rows('channels')) {
    const code = row.code;
    if (
      checkCode(
        problems,
        at.field('code'),
        code,
        CHANNEL_CODE,
        'must be 1–32 lowercase letters, digits or "-"',
      )
    ) {
      const first = firstChannel.get(code as string);
      if (first)
        problems.push(at.field('code').says(`duplicate channel "${String(code)}" (first at ${first})`));
      else firstChannel.set(code as string, at.where);
    }
    checkName(problems, at, row.name);
    checkPolicy(problems, at.field('policy'), row.policy);
    const pool = row.pool;
    if (!Array.isArray(pool)) {
      problems.push(at.field('pool').says('must be a list of { location, priority }'));
      continue;
    }
    const inPool = new Set<string>();
    pool.forEach((member: unknown, i) => {
      const mat = at.field(`pool[${i}]`);
      if (!isRecord(member)) {
        problems.push(mat.says('must be an object { location, priority }'));
        return;
      }
      for (const key of Object.keys(member)) {
        if (key !== 'location' && key !== 'priority')
          problems.push(mat.field(key).says('unknown field (expected location, priority)'));
      }
      const location = member.location;
      if (typeof location !== 'string' || location === '') {
        problems.push(mat.field('location').says(`must be a location code${got(location)}`));
      } else if (!locations.has(location)) {
        problems.push(mat.field('location').says(`unknown location "${location}"`));
      } else if (inPool.has(location)) {
        problems.push(mat.field('location').says(`location "${location}" is in the pool twice`));
      } else {
        inPool.add(location);
      }
      if (member.priority !== undefined)
        checkInteger(problems, mat.field('priority'), member.priority, -MAX_INT32 - 1, MAX_INT32);
    });
  }

  const firstStock = new Map<string, string>();
  for (const { row, at } of rows('stock')) {
    const { sku, location } = row;
    let refsOk = true;
    if (typeof sku !== 'string' || sku === '') {
      problems.push(at.field('sku').says(`must be a SKU code${got(sku)}`));
      refsOk = false;
    } else if (!skus.has(sku)) {
      problems.push(at.field('sku').says(`unknown SKU "${sku}"`));
      refsOk = false;
    }
    if (typeof location !== 'string' || location === '') {
      problems.push(at.field('location').says(`must be a location code${got(location)}`));
      refsOk = false;
    } else if (!locations.has(location)) {
      problems.push(at.field('location').says(`unknown location "${location}"`));
      refsOk = false;
    }
    if (refsOk) {
      const key = `${sku as string}@${location as string}`;
      const first = firstStock.get(key);
      if (first)
        problems.push(
          at.says(`duplicate row for ${sku as string} at ${location as string} (first at ${first})`),
        );
      else firstStock.set(key, at.where);
    }
    if (row.onHand === undefined) problems.push(at.field('onHand').says('is required'));
    else checkInteger(problems, at.field('onHand'), row.onHand, 0, MAX_QUANTITY);
    if (row.safetyStock !== undefined)
      checkInteger(problems, at.field('safetyStock'), row.safetyStock, 0, MAX_QUANTITY);
  }
  return problems;
}

class Path {
  constructor(
    readonly path: string,
    private readonly origin?: string,
  ) {}

  field(name: string): Path {
    return new Path(`${this.path}.${name}`, this.origin);
  }

  /** The path, with the CSV line when the row came from a CSV file. */
  get where(): string {
    return `${this.path}${this.origin ? ` (${this.origin})` : ''}`;
  }

  says(message: string): string {
    return `${this.where}: ${message}`;
  }
}

function got(value: unknown): string {
  if (value === undefined) return ' (missing)';
  const text = JSON.stringify(value) ?? String(value);
  return ` (got ${text.length > 40 ? `${text.slice(0, 40)}…` : text})`;
}

function checkCode(problems: string[], at: Path, value: unknown, pattern: RegExp, rule: string): boolean {
  if (typeof value === 'string' && pattern.test(value)) return true;
  problems.push(at.says(`${rule}${got(value)}`));
  return false;
}

function checkName(problems: string[], at: Path, value: unknown): void {
  if (typeof value !== 'string' || value.trim() === '')
    problems.push(at.field('name').says(`must be a non-empty text${got(value)}`));
}

function checkInteger(problems: string[], at: Path, value: unknown, min: number, max: number): boolean {
  const integer = typeof value === 'number' && Number.isSafeInteger(value);
  if (integer && value >= min && value <= max) return true;
  let rule: string;
  if (max <= 100) rule = `must be an integer between ${min} and ${max}`;
  else if (integer && value > max) rule = `must be at most ${max}`;
  else if (min < -MAX_INT32) rule = 'must be an integer';
  else rule = `must be an integer ≥ ${min}`;
  problems.push(at.says(`${rule}${got(value)}`));
  return false;
}

function checkCoordinate(problems: string[], at: Path, value: unknown, limit: number): void {
  if (value === undefined || value === null) return;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < -limit || value > limit) {
    problems.push(at.says(`must be a number between -${limit} and ${limit}${got(value)}`));
  }
}

function checkPolicy(problems: string[], at: Path, policy: unknown): void {
  if (policy === undefined) return;
  if (!isRecord(policy)) {
    problems.push(at.says('must be an object'));
    return;
  }
  for (const key of Object.keys(policy)) {
    if (!(POLICY_FIELDS as string[]).includes(key))
      problems.push(at.field(key).says(`unknown field (expected ${POLICY_FIELDS.join(', ')})`));
  }
  const { bufferPercent, holdback, maxExposed, stalenessSeconds, staleMode, maxTtlSeconds } = policy;
  if (bufferPercent !== undefined) checkInteger(problems, at.field('bufferPercent'), bufferPercent, 0, 100);
  if (holdback !== undefined) checkInteger(problems, at.field('holdback'), holdback, 0, MAX_INT32);
  if (maxExposed !== undefined && maxExposed !== null)
    checkInteger(problems, at.field('maxExposed'), maxExposed, 0, MAX_INT32);
  if (stalenessSeconds !== undefined && stalenessSeconds !== null) {
    checkInteger(problems, at.field('stalenessSeconds'), stalenessSeconds, 1, MAX_INT32);
  }
  if (staleMode !== undefined && staleMode !== 'zero' && staleMode !== 'buffered') {
    problems.push(at.field('staleMode').says(`must be "zero" or "buffered"${got(staleMode)}`));
  }
  if (maxTtlSeconds !== undefined) {
    checkInteger(problems, at.field('maxTtlSeconds'), maxTtlSeconds, 1, MAX_TTL_SECONDS);
  }
  const maxHeld = policy.maxHeldUnitsPerClient;
  if (maxHeld !== undefined && maxHeld !== null)
    checkInteger(problems, at.field('maxHeldUnitsPerClient'), maxHeld, 0, MAX_INT32);
}
