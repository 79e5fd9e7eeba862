import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCatalogCsv, parseCatalogJson, validateCatalog } from '@stockbridge/catalog-files';
import { buildDemoCatalog } from './demo-catalog';

// The example files docs/cli.md walks through must stay loadable.
const examples = join(__dirname, '..', 'examples');
const read = (...path: string[]) => readFileSync(join(examples, ...path), 'utf8');

describe('example catalog files', () => {
  it('catalog.json is valid on its own, on an empty database', () => {
    expect(validateCatalog(parseCatalogJson(read('catalog.json')))).toEqual([]);
  });

  it('stock-update/ is valid on top of the demo catalog', () => {
    const demo = buildDemoCatalog();
    const catalog = parseCatalogCsv({
      skus: read('stock-update', 'skus.csv'),
      channels: read('stock-update', 'channels.csv'),
      stock: read('stock-update', 'stock.csv'),
    });
    expect(catalog.skus.map((s) => s.name)).toEqual([
      'Merino crew sock, navy, XL',
      'Gift card "Holiday", 50',
    ]);
    expect(catalog.channels[0].pool).toHaveLength(4);
    const known = { locations: demo.locations.map((l) => l.code), skus: demo.skus.map((s) => s.sku) };
    expect(validateCatalog(catalog, known)).toEqual([]);
  });
});
