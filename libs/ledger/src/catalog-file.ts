import { createHash } from 'node:crypto';
import { DEFAULT_CHANNEL_POLICY, type ChannelPolicy } from '@stockbridge/canonical';
import {
  LOCATION_RECONCILIATION_POLICIES,
  type Catalog,
  type ChannelInput,
  type LocationInput,
  type LocationReconciliationPolicy,
  type SkuInput,
} from './catalog';
import type { Db } from './db';
import { lockOrder } from './journal';
import type { MovementCommand, Movements } from './movements';

/**
 * A catalog file: what an operator loads to set up or refresh the catalog and the counted stock.
 * `parseCatalogJson` / `parseCatalogCsv` check the syntax only; `validateCatalog` checks the content.
 */
export interface CatalogFile {
  locations: CatalogFileLocation[];
  skus: CatalogFileSku[];
  channels: CatalogFileChannel[];
  stock: CatalogFileStock[];
}

export interface CatalogFileLocation {
  code: string;
  name: string;
  type: 'warehouse' | 'store';
  latitude?: number | null;
  longitude?: number | null;
  /** Fulfilment orders it may ship per day (ship-from-store capacity); absent: no limit. */
  dailyShipCapacity?: number | null;
  /**
   * What reconciliation runs do with the location's variance: `trust-wms` or `trust-erp` set the ledger's on
   * hand to that side's figure, `report-only` only opens exceptions. Absent or null: left as it is (a new
   * location starts `report-only`).
   */
  reconciliationPolicy?: LocationReconciliationPolicy | null;
}

export interface CatalogFileSku {
  sku: string;
  name: string;
  priceCents?: number;
  /** What one unit costs (cost of goods sold on shipment). */
  costCents?: number;
}

export interface CatalogFileChannel {
  code: string;
  name: string;
  /** Missing fields take the values of DEFAULT_CHANNEL_POLICY. */
  policy?: Partial<ChannelPolicy>;
  /** Without a priority, a member ranks by its position: 10, 20, 30… */
  pool: { location: string; priority?: number }[];
}

export interface CatalogFileStock {
  sku: string;
  location: string;
  /** Counted on hand: set absolutely, like a stock count. */
  onHand: number;
  /** Set absolutely when present; left as it is when absent. */
  safetyStock?: number;
}

export type CatalogSection = keyof CatalogFile;

export const CATALOG_SECTIONS: readonly CatalogSection[] = ['locations', 'skus', 'channels', 'stock'];

/** The file names `parseCatalogCsv` reads from a directory, one per section. */
export const CATALOG_CSV_FILES: Record<CatalogSection, string> = {
  locations: 'locations.csv',
  skus: 'skus.csv',
  channels: 'channels.csv',
  stock: 'stock.csv',
};

/** A catalog file that cannot be read or loaded; `problems` lists every finding with its path. */
export class CatalogFileError extends Error {
  constructor(readonly problems: string[]) {
    super(
      problems.length === 1
        ? `Invalid catalog file: ${problems[0]}`
        : `Invalid catalog file (${problems.length} problems): ${problems[0]}; …`,
    );
    this.name = 'CatalogFileError';
  }
}

export const CATALOG_SOURCE_SYSTEM = 'catalog';

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
const POLICY_FIELDS = Object.keys(DEFAULT_CHANNEL_POLICY) as (keyof ChannelPolicy)[];

// Where a row parsed from CSV came from ("stock.csv line 14"), so that validation can point at the line.
// Kept beside the rows rather than in them so that the parsed catalog has exactly the file's shape.
const rowOrigins = new WeakMap<object, string>();

// ---------------------------------------------------------------------------------------------- parsing

/** Parses a JSON catalog file. Missing sections are empty; content is checked by `validateCatalog`. */
export function parseCatalogJson(text: string): CatalogFile {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new CatalogFileError([`not valid JSON: ${(err as Error).message}`]);
  }
  if (!isRecord(data)) {
    throw new CatalogFileError([
      'the file must hold a JSON object with "locations", "skus", "channels" and/or "stock"',
    ]);
  }
  const problems = Object.keys(data)
    .filter((k) => !(CATALOG_SECTIONS as readonly string[]).includes(k))
    .map((k) => `${k}: unknown section (expected ${CATALOG_SECTIONS.join(', ')})`);
  if (problems.length > 0) throw new CatalogFileError(problems);
  return {
    locations: (data.locations ?? []) as CatalogFileLocation[],
    skus: (data.skus ?? []) as CatalogFileSku[],
    channels: (data.channels ?? []) as CatalogFileChannel[],
    stock: (data.stock ?? []) as CatalogFileStock[],
  };
}

interface CsvColumn {
  field: string;
  required: boolean;
  kind: 'text' | 'number' | 'pool';
}

const CSV_COLUMNS: Record<CatalogSection, CsvColumn[]> = {
  locations: [
    { field: 'code', required: true, kind: 'text' },
    { field: 'name', required: true, kind: 'text' },
    { field: 'type', required: true, kind: 'text' },
    { field: 'latitude', required: false, kind: 'number' },
    { field: 'longitude', required: false, kind: 'number' },
    { field: 'dailyShipCapacity', required: false, kind: 'number' },
    { field: 'reconciliationPolicy', required: false, kind: 'text' },
  ],
  skus: [
    { field: 'sku', required: true, kind: 'text' },
    { field: 'name', required: true, kind: 'text' },
    { field: 'priceCents', required: false, kind: 'number' },
    { field: 'costCents', required: false, kind: 'number' },
  ],
  channels: [
    { field: 'code', required: true, kind: 'text' },
    { field: 'name', required: true, kind: 'text' },
    { field: 'bufferPercent', required: false, kind: 'number' },
    { field: 'holdback', required: false, kind: 'number' },
    { field: 'maxExposed', required: false, kind: 'number' },
    { field: 'stalenessSeconds', required: false, kind: 'number' },
    { field: 'staleMode', required: false, kind: 'text' },
    { field: 'maxTtlSeconds', required: false, kind: 'number' },
    { field: 'maxHeldUnitsPerClient', required: false, kind: 'number' },
    { field: 'pool', required: false, kind: 'pool' },
  ],
  stock: [
    { field: 'sku', required: true, kind: 'text' },
    { field: 'location', required: true, kind: 'text' },
    { field: 'onHand', required: true, kind: 'number' },
    { field: 'safetyStock', required: false, kind: 'number' },
  ],
};

/** "onHand", "on_hand", "On Hand" and "ONHAND" name the same column. */
const columnKey = (name: string) => name.toLowerCase().replace(/[\s_-]/g, '');

/**
 * Parses the CSV files of a catalog directory, given as their contents per section (any may be absent).
 * Each file has a header row naming its columns (camelCase or snake_case):
 * - locations.csv: code, name, type, latitude, longitude, dailyShipCapacity, reconciliationPolicy
 * - skus.csv: sku, name, priceCents, costCents
 * - channels.csv: code, name, bufferPercent, holdback, maxExposed, stalenessSeconds, staleMode, maxTtlSeconds,
 *   maxHeldUnitsPerClient, pool
 *   (pool as `WH-EAST:10;STORE-NYC:20`, priorities optional)
 * - stock.csv: sku, location, onHand, safetyStock
 * An empty cell is an absent value (the default applies).
 */
export function parseCatalogCsv(files: Partial<Record<CatalogSection, string>>): CatalogFile {
  const problems: string[] = [];
  const out: CatalogFile = { locations: [], skus: [], channels: [], stock: [] };
  for (const section of CATALOG_SECTIONS) {
    const text = files[section];
    if (text === undefined) continue;
    const fileName = CATALOG_CSV_FILES[section];
    let table: CsvTable;
    try {
      table = parseCsv(text);
    } catch (err) {
      problems.push(`${fileName}: ${(err as Error).message}`);
      continue;
    }
    if (table.header.length === 0) continue; // an empty file: nothing in this section
    const columns = CSV_COLUMNS[section];
    const byKey = new Map(columns.map((c) => [columnKey(c.field), c]));
    const mapped: (CsvColumn | null)[] = [];
    const seen = new Set<string>();
    table.header.forEach((name) => {
      const column = byKey.get(columnKey(name)) ?? null;
      if (!column) {
        problems.push(
          `${fileName}: unknown column "${name}" (expected ${columns.map((c) => c.field).join(', ')})`,
        );
      } else if (seen.has(column.field)) {
        problems.push(`${fileName}: column "${column.field}" appears twice`);
      } else {
        seen.add(column.field);
      }
      mapped.push(column);
    });
    for (const column of columns) {
      if (column.required && !seen.has(column.field))
        problems.push(`${fileName}: missing column "${column.field}"`);
    }
    for (const record of table.records) {
      if (record.cells.length !== table.header.length) {
        problems.push(
          `${fileName} line ${record.line}: expected ${table.header.length} fields, found ${record.cells.length}`,
        );
        continue;
      }
      const row: Record<string, unknown> = {};
      record.cells.forEach((cell, i) => {
        const column = mapped[i];
        if (!column || cell === '') return;
        row[column.field] =
          column.kind === 'number' ? csvNumber(cell) : column.kind === 'pool' ? csvPool(cell) : cell;
      });
      if (section === 'channels') {
        const policy: Record<string, unknown> = {};
        for (const field of POLICY_FIELDS) {
          if (field in row) {
            policy[field] = row[field];
            delete row[field];
          }
        }
        row.policy = policy;
        row.pool ??= [];
      }
      rowOrigins.set(row, `${fileName} line ${record.line}`);
      (out[section] as unknown[]).push(row);
    }
  }
  if (problems.length > 0) throw new CatalogFileError(problems);
  return out;
}

/** A number when the cell is one, else the text itself, for validation to report. */
function csvNumber(cell: string): number | string {
  return /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(cell) ? Number(cell) : cell;
}

function csvPool(cell: string): { location: string; priority?: number | string }[] {
  return cell
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      const colon = part.lastIndexOf(':');
      if (colon < 0) return { location: part };
      return { location: part.slice(0, colon).trim(), priority: csvNumber(part.slice(colon + 1).trim()) };
    });
}

export interface CsvTable {
  header: string[];
  /** Data records with the line each starts on (1-based; the header is line 1 unless blank lines precede it). */
  records: { line: number; cells: string[] }[];
}

/**
 * RFC 4180 CSV: comma-separated, fields optionally in double quotes (which may hold commas, line breaks and
 * `""` for a quote), CRLF or LF line ends. Blank lines are skipped; unquoted fields are trimmed.
 */
export function parseCsv(text: string): CsvTable {
  const rows: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false; // the current field was quoted
  let inQuotes = false; // inside the quotes right now
  let afterQuote = false; // the closing quote was read; only spaces may follow before the delimiter
  let rowQuoted = false; // a quote opened in this row, so `""` alone is a row with one empty field
  let line = 1;
  let rowLine = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;

  const endField = () => {
    cells.push(quoted ? cell : cell.trim());
    cell = '';
    quoted = false;
    afterQuote = false;
  };
  const endRow = () => {
    endField();
    const blank = cells.length === 1 && cells[0] === '' && !rowQuoted;
    if (!blank) rows.push({ line: rowLine, cells });
    cells = [];
    rowQuoted = false;
  };

  for (; i < text.length; i++) {
    const ch = text[i];
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else {
          inQuotes = false;
          afterQuote = true;
        }
      } else {
        if (ch === '\n') line++;
        cell += ch;
      }
      continue;
    }
    if (ch === ',') {
      endField();
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRow();
      line++;
      rowLine = line;
    } else if (afterQuote) {
      if (ch !== ' ' && ch !== '\t')
        throw new Error(`line ${line}: unexpected "${ch}" after a closing quote`);
    } else if (ch === '"' && cell.trim() === '') {
      cell = '';
      quoted = true;
      inQuotes = true;
      rowQuoted = true;
    } else {
      cell += ch;
    }
  }
  if (inQuotes) throw new Error(`line ${rowLine}: a quoted field is not closed`);
  if (cell !== '' || quoted || cells.length > 0) endRow();

  const [header, ...records] = rows;
  return { header: header ? header.cells : [], records };
}

// ------------------------------------------------------------------------------------------- validation

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

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
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

// ---------------------------------------------------------------------------------------------- loading

/** A load id for `loadCatalog`: the sha256 of the file's content (of each part in order, for several files). */
export function catalogLoadId(...parts: string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(`${Buffer.byteLength(part)}:`).update(part);
  return hash.digest('hex');
}

export function channelPolicyOf(policy: Partial<ChannelPolicy> | undefined): ChannelPolicy {
  return {
    bufferPercent: policy?.bufferPercent ?? DEFAULT_CHANNEL_POLICY.bufferPercent,
    holdback: policy?.holdback ?? DEFAULT_CHANNEL_POLICY.holdback,
    maxExposed: policy?.maxExposed ?? DEFAULT_CHANNEL_POLICY.maxExposed,
    stalenessSeconds: policy?.stalenessSeconds ?? DEFAULT_CHANNEL_POLICY.stalenessSeconds,
    staleMode: policy?.staleMode ?? DEFAULT_CHANNEL_POLICY.staleMode,
    maxTtlSeconds: policy?.maxTtlSeconds ?? DEFAULT_CHANNEL_POLICY.maxTtlSeconds,
    maxHeldUnitsPerClient: policy?.maxHeldUnitsPerClient ?? DEFAULT_CHANNEL_POLICY.maxHeldUnitsPerClient,
  };
}

/** The movements that apply a file's stock rows, in lock order (count first, then safety stock, per row). */
export function catalogStockMovements(stock: CatalogFileStock[], loadId: string): MovementCommand[] {
  const cmds: MovementCommand[] = [];
  for (const s of lockOrder(stock)) {
    const base = {
      sku: s.sku,
      location: s.location,
      sourceSystem: CATALOG_SOURCE_SYSTEM,
      reason: `catalog load ${loadId.slice(0, 12)}`,
    };
    cmds.push({
      ...base,
      kind: 'count',
      quantity: s.onHand,
      sourceEventId: `${loadId}:${s.sku}@${s.location}:on-hand`,
    });
    if (s.safetyStock !== undefined) {
      cmds.push({
        ...base,
        kind: 'set-safety-stock',
        quantity: s.safetyStock,
        sourceEventId: `${loadId}:${s.sku}@${s.location}:safety-stock`,
      });
    }
  }
  return cmds;
}

export interface CatalogLoadDeps {
  db: Db;
  catalog: Catalog;
  movements: Movements;
}

export interface CatalogLoadOptions {
  /** Identifies this content (see `catalogLoadId`): loading the same id again changes no stock. */
  loadId: string;
  /** Movements per transaction. */
  chunkSize?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface CatalogLoadResult {
  locations: number;
  skus: number;
  channels: number;
  stockRows: number;
  /** Stock movements recorded by this load. */
  movementsApplied: number;
  /** Stock movements skipped because an earlier load with the same id recorded them. */
  movementsAlreadyApplied: number;
}

/**
 * Validates and loads a catalog file: locations, SKUs and channels are upserted in one transaction, then the
 * stock rows become `count` and `set-safety-stock` movements, in transactions of ~1000 movements, each
 * exactly once per load id. A load that fails halfway through its stock can simply be run again.
 */
export async function loadCatalog(
  deps: CatalogLoadDeps,
  file: CatalogFile,
  options: CatalogLoadOptions,
): Promise<CatalogLoadResult> {
  const { db, catalog, movements } = deps;
  if (!options.loadId) throw new Error('loadCatalog needs a load id');
  const known = await existingReferences(db, file);
  const problems = validateCatalog(file, known);
  if (problems.length > 0) throw new CatalogFileError(problems);

  await retryOnUniqueViolation(() =>
    db.tx(async (sql) => {
      await catalog.upsertLocations(
        sql,
        file.locations.map((l): LocationInput => ({
          code: l.code,
          name: l.name,
          type: l.type,
          latitude: l.latitude ?? null,
          longitude: l.longitude ?? null,
          dailyShipCapacity: l.dailyShipCapacity ?? null,
          reconciliationPolicy: l.reconciliationPolicy ?? null,
        })),
      );
      await catalog.upsertSkus(
        sql,
        file.skus.map((s): SkuInput => ({
          sku: s.sku,
          name: s.name,
          priceCents: s.priceCents ?? 0,
          costCents: s.costCents ?? 0,
        })),
      );
      await catalog.upsertChannels(
        sql,
        file.channels.map((c): ChannelInput => ({
          code: c.code,
          name: c.name,
          policy: channelPolicyOf(c.policy),
          pool: c.pool.map((p, i) => ({ location: p.location, priority: p.priority ?? (i + 1) * 10 })),
        })),
      );
    }),
  );

  const cmds = catalogStockMovements(file.stock, options.loadId);
  const chunkSize = options.chunkSize ?? 1000;
  let applied = 0;
  let already = 0;
  for (let i = 0; i < cmds.length; i += chunkSize) {
    const chunk = cmds.slice(i, i + chunkSize);
    const outcome = await retryOnUniqueViolation(() => applyChunk(db, movements, chunk));
    applied += outcome.applied;
    already += outcome.already;
    options.onProgress?.(Math.min(i + chunkSize, cmds.length), cmds.length);
  }
  return {
    locations: file.locations.length,
    skus: file.skus.length,
    channels: file.channels.length,
    stockRows: file.stock.length,
    movementsApplied: applied,
    movementsAlreadyApplied: already,
  };
}

async function applyChunk(
  db: Db,
  movements: Movements,
  chunk: MovementCommand[],
): Promise<{ applied: number; already: number }> {
  // Skipping what an earlier load recorded keeps a repeated load cheap; applyAll would answer those as
  // duplicates anyway.
  const done = await db.query<{ id: string }>(
    `SELECT source_event_id AS id FROM stock_movements WHERE source_system = $1 AND source_event_id = ANY($2::text[])`,
    [CATALOG_SOURCE_SYSTEM, chunk.map((c) => c.sourceEventId)],
  );
  const seen = new Set(done.rows.map((r) => r.id));
  const todo = chunk.filter((c) => !seen.has(c.sourceEventId));
  let applied = 0;
  let already = chunk.length - todo.length;
  if (todo.length > 0) {
    for (const o of await movements.applyAll(todo)) {
      if (o.duplicate) already++;
      else applied++;
    }
  }
  return { applied, already };
}

/**
 * Two loads of the same file at once (two start scripts, say) collide on unique keys: the same movement
 * event ids, the same channel pool rows. The loser's transaction rolls back whole; run again, it finds the
 * winner's rows and skips or upserts them.
 */
async function retryOnUniqueViolation<T>(fn: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if ((err as { code?: string }).code !== '23505' || attempt >= attempts) throw err;
    }
  }
}

/** Which SKUs and locations the file references without defining them exist in the database already. */
async function existingReferences(
  db: Db,
  file: CatalogFile,
): Promise<{ locations: string[]; skus: string[] }> {
  const definedLocations = new Set(Array.isArray(file.locations) ? file.locations.map((l) => l?.code) : []);
  const definedSkus = new Set(Array.isArray(file.skus) ? file.skus.map((s) => s?.sku) : []);
  const locations = new Set<string>();
  const skus = new Set<string>();
  const stock = Array.isArray(file.stock) ? file.stock : [];
  const channels = Array.isArray(file.channels) ? file.channels : [];
  for (const s of stock) {
    if (typeof s?.location === 'string' && !definedLocations.has(s.location)) locations.add(s.location);
    if (typeof s?.sku === 'string' && !definedSkus.has(s.sku)) skus.add(s.sku);
  }
  for (const c of channels) {
    for (const p of Array.isArray(c?.pool) ? c.pool : []) {
      if (typeof p?.location === 'string' && !definedLocations.has(p.location)) locations.add(p.location);
    }
  }
  const [l, s] = await Promise.all([
    locations.size === 0
      ? { rows: [] }
      : db.query<{ code: string }>('SELECT code FROM locations WHERE code = ANY($1::text[])', [
          [...locations],
        ]),
    skus.size === 0
      ? { rows: [] }
      : db.query<{ code: string }>('SELECT sku AS code FROM skus WHERE sku = ANY($1::text[])', [[...skus]]),
  ]);
  return { locations: l.rows.map((r) => r.code), skus: s.rows.map((r) => r.code) };
}
