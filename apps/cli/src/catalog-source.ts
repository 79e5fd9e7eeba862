import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import {
  CATALOG_CSV_FILES,
  CATALOG_SECTIONS,
  type CatalogFile,
  type CatalogSection,
  catalogLoadId,
  parseCatalogCsv,
  parseCatalogJson,
} from '@stockbridge/catalog-files';
import { CliError } from './cli.error';

export interface CatalogSource {
  catalog: CatalogFile;
  /** sha256 of the content: the same content loads only once. */
  loadId: string;
  /** What was read, for messages: the JSON file, or the directory and its CSV files. */
  label: string;
  /** Other files in a CSV directory that were not read. */
  ignored: string[];
}

/** Reads a JSON catalog file, or a directory holding locations.csv, skus.csv, channels.csv and/or stock.csv. */
export async function readCatalogSource(path: string): Promise<CatalogSource> {
  const info = await stat(path).catch((err: NodeJS.ErrnoException) => {
    throw new CliError(
      err.code === 'ENOENT' ? `no such file or directory: ${path}` : `cannot read ${path}: ${err.message}`,
    );
  });
  if (!info.isDirectory()) {
    if (/\.csv$/i.test(path)) {
      throw new CliError(
        `${path} is a single CSV file; pass the directory that holds ${Object.values(CATALOG_CSV_FILES).join(', ')}`,
      );
    }
    const text = await readFile(path, 'utf8');
    return { catalog: parseCatalogJson(text), loadId: catalogLoadId(text), label: path, ignored: [] };
  }
  const files: Partial<Record<CatalogSection, string>> = {};
  const read: string[] = [];
  const names = new Set(await readdir(path));
  for (const section of CATALOG_SECTIONS) {
    const name = CATALOG_CSV_FILES[section];
    if (!names.has(name)) continue;
    files[section] = await readFile(join(path, name), 'utf8');
    read.push(join(path, name));
  }
  if (read.length === 0) {
    throw new CliError(`${path} holds none of ${Object.values(CATALOG_CSV_FILES).join(', ')}`);
  }
  const known = new Set(Object.values(CATALOG_CSV_FILES));
  const ignored = [...names].filter((n) => /\.csv$/i.test(n) && !known.has(n)).sort();
  // Name and content of every section, absent ones included, so that moving rows between files changes the id.
  const loadId = catalogLoadId(...CATALOG_SECTIONS.map((s) => `${CATALOG_CSV_FILES[s]}\n${files[s] ?? ''}`));
  return {
    catalog: parseCatalogCsv(files),
    loadId,
    label: `${path} (${read.map((f) => basename(f)).join(', ')})`,
    ignored,
  };
}
