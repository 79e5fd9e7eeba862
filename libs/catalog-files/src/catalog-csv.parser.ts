import {
  CATALOG_CSV_FILES,
  CATALOG_SECTIONS,
  CatalogFileError,
  type CatalogFile,
  type CatalogSection,
} from './catalog-file';
import { parseCsv, type CsvTable } from './csv.parser';
import { POLICY_FIELDS, rowOrigins } from './catalog-file.internal';

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
