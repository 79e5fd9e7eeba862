import {
  CATALOG_SECTIONS,
  CatalogFileError,
  type CatalogFile,
  type CatalogFileChannel,
  type CatalogFileLocation,
  type CatalogFileSku,
  type CatalogFileStock,
} from './catalog-file';
import { isRecord } from './catalog-file.internal';

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
