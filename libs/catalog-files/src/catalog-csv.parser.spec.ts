import { CatalogFileError } from './catalog-file';
import { parseCatalogCsv } from './catalog-csv.parser';
import { validateCatalog } from './catalog.validator';

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof CatalogFileError) return err.problems;
    throw err;
  }
  throw new Error('expected a CatalogFileError');
}

describe('parseCatalogCsv', () => {
  const files = {
    locations:
      'code,name,type,latitude,longitude\nWH-A,"Warehouse A, Newark",warehouse,40.7,-74.1\nSTORE-B,Store B,store,,\n',
    skus: 'sku,name,price_cents\r\nSKU-1,"Sock, navy",1200\r\nSKU-2,Hat,\r\n',
    channels:
      'code,name,bufferPercent,holdback,maxExposed,stalenessSeconds,staleMode,pool\n' +
      'web,Web,10,,,,,WH-A:1;STORE-B:2\n' +
      'market,Marketplace,20,2,50,3600,zero,WH-A\n',
    stock: 'sku,location,onHand,safetyStock\nSKU-1,WH-A,10,2\nSKU-2,STORE-B,0,\n',
  };

  it('maps each file to its section, with numbers as numbers and empty cells left out', () => {
    const c = parseCatalogCsv(files);
    expect(c.locations).toEqual([
      { code: 'WH-A', name: 'Warehouse A, Newark', type: 'warehouse', latitude: 40.7, longitude: -74.1 },
      { code: 'STORE-B', name: 'Store B', type: 'store' },
    ]);
    expect(c.skus).toEqual([
      { sku: 'SKU-1', name: 'Sock, navy', priceCents: 1200 },
      { sku: 'SKU-2', name: 'Hat' },
    ]);
    expect(c.stock).toEqual([
      { sku: 'SKU-1', location: 'WH-A', onHand: 10, safetyStock: 2 },
      { sku: 'SKU-2', location: 'STORE-B', onHand: 0 },
    ]);
    expect(validateCatalog(c)).toEqual([]);
  });

  it('gathers the policy columns of a channel into its policy and splits the pool on ";" and ":"', () => {
    const c = parseCatalogCsv(files);
    expect(c.channels).toEqual([
      {
        code: 'web',
        name: 'Web',
        policy: { bufferPercent: 10 },
        pool: [
          { location: 'WH-A', priority: 1 },
          { location: 'STORE-B', priority: 2 },
        ],
      },
      {
        code: 'market',
        name: 'Marketplace',
        policy: { bufferPercent: 20, holdback: 2, maxExposed: 50, stalenessSeconds: 3600, staleMode: 'zero' },
        pool: [{ location: 'WH-A' }],
      },
    ]);
  });

  it('accepts a directory with only some of the files', () => {
    const c = parseCatalogCsv({ stock: 'sku,location,onHand\nSKU-1,WH-A,5\n' });
    expect(c).toEqual({
      locations: [],
      skus: [],
      channels: [],
      stock: [{ sku: 'SKU-1', location: 'WH-A', onHand: 5 }],
    });
  });

  it('names unknown and missing columns', () => {
    expect(problemsOf(() => parseCatalogCsv({ stock: 'sku,location,qty\nSKU-1,WH-A,5\n' }))).toEqual([
      'stock.csv: unknown column "qty" (expected sku, location, onHand, safetyStock)',
      'stock.csv: missing column "onHand"',
    ]);
  });

  it('names the line of a row with the wrong number of fields', () => {
    expect(problemsOf(() => parseCatalogCsv({ skus: 'sku,name\nA,Alpha\nB\n' }))).toEqual([
      'skus.csv line 3: expected 2 fields, found 1',
    ]);
  });

  it('leaves a non-numeric quantity as text and validation points at its CSV line', () => {
    const c = parseCatalogCsv({
      locations: 'code,name,type\nWH-A,A,warehouse\n',
      skus: 'sku,name\nSKU-1,Sock\n',
      stock: 'sku,location,onHand\nSKU-1,WH-A,lots\n',
    });
    expect(validateCatalog(c)).toEqual([
      'stock[0].onHand (stock.csv line 2): must be an integer ≥ 0 (got "lots")',
    ]);
  });
});
