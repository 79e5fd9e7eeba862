import { type CatalogFile, CatalogFileError } from './catalog-file';
import { parseCatalogCsv } from './catalog-csv.parser';
import { parseCatalogJson } from './catalog-json.parser';
import { validateCatalog } from './catalog.validator';

function validCatalog(): CatalogFile {
  return {
    locations: [
      { code: 'WH-A', name: 'Warehouse A', type: 'warehouse', latitude: 40.7, longitude: -74.1 },
      { code: 'STORE-B', name: 'Store B', type: 'store' },
    ],
    skus: [
      { sku: 'SKU-1', name: 'Sock', priceCents: 1200 },
      { sku: 'SKU-2', name: 'Hat' },
    ],
    channels: [
      {
        code: 'web',
        name: 'Web',
        policy: { bufferPercent: 10 },
        pool: [
          { location: 'WH-A', priority: 1 },
          { location: 'STORE-B', priority: 2 },
        ],
      },
    ],
    stock: [
      { sku: 'SKU-1', location: 'WH-A', onHand: 10, safetyStock: 2 },
      { sku: 'SKU-2', location: 'STORE-B', onHand: 0 },
    ],
  };
}

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof CatalogFileError) return err.problems;
    throw err;
  }
  throw new Error('expected a CatalogFileError');
}

describe('parseCatalogJson', () => {
  it('reads the four sections', () => {
    const c = validCatalog();
    expect(parseCatalogJson(JSON.stringify(c))).toEqual(c);
  });

  it('treats a missing section as empty', () => {
    expect(parseCatalogJson('{"skus":[{"sku":"A","name":"A"}]}')).toEqual({
      locations: [],
      skus: [{ sku: 'A', name: 'A' }],
      channels: [],
      stock: [],
    });
  });

  it('reports invalid JSON as a catalog file problem', () => {
    expect(problemsOf(() => parseCatalogJson('{"skus": ['))[0]).toMatch(/^not valid JSON: /);
  });

  it('rejects a top level that is not an object', () => {
    expect(problemsOf(() => parseCatalogJson('[1, 2]'))).toEqual([
      'the file must hold a JSON object with "locations", "skus", "channels" and/or "stock"',
    ]);
  });

  it('rejects an unknown section so that a misspelt one is not silently skipped', () => {
    expect(problemsOf(() => parseCatalogJson('{"stocks": []}'))).toEqual([
      'stocks: unknown section (expected locations, skus, channels, stock)',
    ]);
  });
});

describe('validateCatalog', () => {
  it('finds nothing wrong with a valid catalog', () => {
    expect(validateCatalog(validCatalog())).toEqual([]);
  });

  it('rejects a negative on-hand quantity with the path of the row', () => {
    const c = validCatalog();
    c.stock[1].onHand = -3;
    expect(validateCatalog(c)).toEqual(['stock[1].onHand: must be an integer ≥ 0 (got -3)']);
  });

  it('rejects fractional quantities and quantities above the ledger limit', () => {
    const c = validCatalog();
    c.stock[0].onHand = 1.5;
    c.stock[0].safetyStock = 2_000_000_000;
    expect(validateCatalog(c)).toEqual([
      'stock[0].onHand: must be an integer ≥ 0 (got 1.5)',
      'stock[0].safetyStock: must be at most 1000000000 (got 2000000000)',
    ]);
  });

  it("checks a SKU's cost and a location's daily ship capacity when they are given", () => {
    const c = validCatalog();
    c.skus[0].costCents = -1;
    c.locations[1].dailyShipCapacity = 2.5;
    expect(validateCatalog(c)).toEqual([
      'locations[1].dailyShipCapacity: must be an integer ≥ 0 (got 2.5)',
      'skus[0].costCents: must be an integer ≥ 0 (got -1)',
    ]);
    c.skus[0].costCents = 700;
    c.locations[1].dailyShipCapacity = 25;
    expect(validateCatalog(c)).toEqual([]);
  });

  it('reads costCents and dailyShipCapacity columns from CSV', () => {
    const c = parseCatalogCsv({
      locations: 'code,name,type,daily_ship_capacity\nSTORE-B,Store B,store,12\n',
      skus: 'sku,name,price_cents,cost_cents\nSKU-1,Sock,1200,480\n',
    });
    expect(c.locations).toEqual([{ code: 'STORE-B', name: 'Store B', type: 'store', dailyShipCapacity: 12 }]);
    expect(c.skus).toEqual([{ sku: 'SKU-1', name: 'Sock', priceCents: 1200, costCents: 480 }]);
  });

  it("accepts a location's reconciliation policy as trust-wms, trust-erp, report-only or null", () => {
    const c = validCatalog();
    c.locations[0].reconciliationPolicy = 'trust-wms';
    c.locations[1].reconciliationPolicy = null;
    expect(validateCatalog(c)).toEqual([]);
    c.locations[0].reconciliationPolicy = 'trust-erp';
    c.locations[1].reconciliationPolicy = 'report-only';
    expect(validateCatalog(c)).toEqual([]);
    expect(parseCatalogJson(JSON.stringify(c)).locations.map((l) => l.reconciliationPolicy)).toEqual([
      'trust-erp',
      'report-only',
    ]);
  });

  it('refuses any other reconciliation policy with the path of the location', () => {
    const c = parseCatalogJson(
      JSON.stringify({
        locations: [
          { code: 'WH-A', name: 'A', type: 'warehouse', reconciliationPolicy: 'trust-oms' },
          { code: 'WH-B', name: 'B', type: 'warehouse', reconciliationPolicy: 'TRUST-WMS' },
          { code: 'WH-C', name: 'C', type: 'warehouse', reconciliationPolicy: 1 },
        ],
      }),
    );
    expect(validateCatalog(c)).toEqual([
      'locations[0].reconciliationPolicy: must be "trust-wms", "trust-erp" or "report-only" (got "trust-oms")',
      'locations[1].reconciliationPolicy: must be "trust-wms", "trust-erp" or "report-only" (got "TRUST-WMS")',
      'locations[2].reconciliationPolicy: must be "trust-wms", "trust-erp" or "report-only" (got 1)',
    ]);
  });

  it('reads the reconciliationPolicy column from CSV, an empty cell leaving it out, and points at a wrong one', () => {
    const c = parseCatalogCsv({
      locations:
        'code,name,type,reconciliation_policy\n' +
        'WH-A,A,warehouse,trust-wms\n' +
        'STORE-B,B,store,\n' +
        'STORE-C,C,store,trust-me\n',
    });
    expect(c.locations).toEqual([
      { code: 'WH-A', name: 'A', type: 'warehouse', reconciliationPolicy: 'trust-wms' },
      { code: 'STORE-B', name: 'B', type: 'store' },
      { code: 'STORE-C', name: 'C', type: 'store', reconciliationPolicy: 'trust-me' },
    ]);
    expect(validateCatalog(c)).toEqual([
      'locations[2].reconciliationPolicy (locations.csv line 4): must be "trust-wms", "trust-erp" or "report-only" (got "trust-me")',
    ]);
  });

  it('requires on hand in every stock row', () => {
    const c = validCatalog();
    delete (c.stock[0] as Partial<CatalogFile['stock'][number]>).onHand;
    expect(validateCatalog(c)).toEqual(['stock[0].onHand: is required']);
  });

  it('reports a stock row that references an unknown SKU or location', () => {
    const c = validCatalog();
    c.stock.push({ sku: 'SKU-9', location: 'WH-Z', onHand: 1 });
    expect(validateCatalog(c)).toEqual([
      'stock[2].sku: unknown SKU "SKU-9"',
      'stock[2].location: unknown location "WH-Z"',
    ]);
  });

  it('accepts references to SKUs and locations that already exist in the database', () => {
    const c: CatalogFile = {
      locations: [],
      skus: [],
      channels: [],
      stock: [{ sku: 'SKU-9', location: 'WH-Z', onHand: 1 }],
    };
    expect(validateCatalog(c, { skus: ['SKU-9'], locations: ['WH-Z'] })).toEqual([]);
  });

  it('reports a pool member at an unknown location', () => {
    const c = validCatalog();
    c.channels[0].pool.push({ location: 'NOWHERE', priority: 3 });
    expect(validateCatalog(c)).toEqual(['channels[0].pool[2].location: unknown location "NOWHERE"']);
  });

  it('reports a location listed twice in one pool', () => {
    const c = validCatalog();
    c.channels[0].pool.push({ location: 'WH-A', priority: 3 });
    expect(validateCatalog(c)).toEqual([
      'channels[0].pool[2].location: location "WH-A" is in the pool twice',
    ]);
  });

  it('reports duplicate location, SKU and channel codes with where they first appeared', () => {
    const c = validCatalog();
    c.locations.push({ code: 'WH-A', name: 'Again', type: 'warehouse' });
    c.skus.push({ sku: 'SKU-1', name: 'Again' });
    c.channels.push({ code: 'web', name: 'Again', pool: [] });
    expect(validateCatalog(c)).toEqual([
      'locations[2].code: duplicate location "WH-A" (first at locations[0])',
      'skus[2].sku: duplicate SKU "SKU-1" (first at skus[0])',
      'channels[1].code: duplicate channel "web" (first at channels[0])',
    ]);
  });

  it('reports two stock rows for the same SKU and location', () => {
    const c = validCatalog();
    c.stock.push({ sku: 'SKU-1', location: 'WH-A', onHand: 4 });
    expect(validateCatalog(c)).toEqual(['stock[2]: duplicate row for SKU-1 at WH-A (first at stock[0])']);
  });

  it('applies the database code patterns to SKUs, locations and channels', () => {
    const c = validCatalog();
    c.locations[0].code = 'WH A';
    c.skus[0].sku = 'x'.repeat(65);
    c.channels[0].code = 'Web';
    const problems = validateCatalog(c);
    expect(problems).toContain(
      'locations[0].code: must be 1–64 letters, digits, ".", "_" or "-" (got "WH A")',
    );
    expect(problems.some((p) => p.startsWith('skus[0].sku: must be 1–64 letters'))).toBe(true);
    expect(problems).toContain('channels[0].code: must be 1–32 lowercase letters, digits or "-" (got "Web")');
  });

  it('rejects an unknown location type and coordinates out of range', () => {
    const c = validCatalog();
    (c.locations[0] as { type: string }).type = 'depot';
    c.locations[0].latitude = 91;
    c.locations[0].longitude = 'west' as unknown as number;
    expect(validateCatalog(c)).toEqual([
      'locations[0].type: must be "warehouse" or "store" (got "depot")',
      'locations[0].latitude: must be a number between -90 and 90 (got 91)',
      'locations[0].longitude: must be a number between -180 and 180 (got "west")',
    ]);
  });

  it('requires a name on locations, SKUs and channels', () => {
    const c = validCatalog();
    c.skus[1].name = '  ';
    delete (c.locations[1] as { name?: string }).name;
    expect(validateCatalog(c)).toEqual([
      'locations[1].name: must be a non-empty text (missing)',
      'skus[1].name: must be a non-empty text (got "  ")',
    ]);
  });

  it('checks each policy field against its rule', () => {
    const c = validCatalog();
    c.channels[0].policy = {
      bufferPercent: 120,
      holdback: -1,
      maxExposed: 1.5,
      stalenessSeconds: 0,
      staleMode: 'never' as 'zero',
    };
    expect(validateCatalog(c)).toEqual([
      'channels[0].policy.bufferPercent: must be an integer between 0 and 100 (got 120)',
      'channels[0].policy.holdback: must be an integer ≥ 0 (got -1)',
      'channels[0].policy.maxExposed: must be an integer ≥ 0 (got 1.5)',
      'channels[0].policy.stalenessSeconds: must be an integer ≥ 1 (got 0)',
      'channels[0].policy.staleMode: must be "zero" or "buffered" (got "never")',
    ]);
  });

  it('checks the reservation limits: maxTtlSeconds 1..604800, maxHeldUnitsPerClient an integer ≥ 0 or null', () => {
    const c = validCatalog();
    c.channels[0].policy = { maxTtlSeconds: 0, maxHeldUnitsPerClient: -1 };
    expect(validateCatalog(c)).toEqual([
      'channels[0].policy.maxTtlSeconds: must be an integer ≥ 1 (got 0)',
      'channels[0].policy.maxHeldUnitsPerClient: must be an integer ≥ 0 (got -1)',
    ]);
    c.channels[0].policy = { maxTtlSeconds: 604_801, maxHeldUnitsPerClient: 2.5 };
    expect(validateCatalog(c)).toEqual([
      'channels[0].policy.maxTtlSeconds: must be at most 604800 (got 604801)',
      'channels[0].policy.maxHeldUnitsPerClient: must be an integer ≥ 0 (got 2.5)',
    ]);
    c.channels[0].policy = { maxTtlSeconds: null as unknown as number };
    expect(validateCatalog(c)).toEqual([
      'channels[0].policy.maxTtlSeconds: must be an integer ≥ 1 (got null)',
    ]);
    c.channels[0].policy = { maxTtlSeconds: 604_800, maxHeldUnitsPerClient: null };
    expect(validateCatalog(c)).toEqual([]);
  });

  it('reads the reservation limits from channel CSV columns', () => {
    const c = parseCatalogCsv({
      channels: 'code,name,max_ttl_seconds,maxHeldUnitsPerClient,pool\nweb,Web,900,20,WH-A\npos,POS,,,WH-A\n',
    });
    expect(c.channels.map((ch) => ch.policy)).toEqual([
      { maxTtlSeconds: 900, maxHeldUnitsPerClient: 20 },
      {},
    ]);
  });

  it('accepts null for the optional cap and staleness limit', () => {
    const c = validCatalog();
    c.channels[0].policy = { maxExposed: null, stalenessSeconds: null };
    expect(validateCatalog(c)).toEqual([]);
  });

  it('rejects unknown fields so that a misspelt optional field is not silently ignored', () => {
    const c = validCatalog();
    (c.stock[0] as unknown as Record<string, unknown>).safety_stock = 3;
    (c.channels[0].policy as Record<string, unknown>).buffer = 5;
    expect(validateCatalog(c)).toEqual([
      'channels[0].policy.buffer: unknown field (expected bufferPercent, holdback, maxExposed, stalenessSeconds, staleMode, maxTtlSeconds, maxHeldUnitsPerClient)',
      'stock[0].safety_stock: unknown field (expected sku, location, onHand, safetyStock)',
    ]);
  });

  it('reports a section that is not a list and rows that are not objects', () => {
    const c = { locations: {}, skus: [42], channels: [], stock: [] } as unknown as CatalogFile;
    expect(validateCatalog(c)).toEqual(['locations: must be a list', 'skus[0]: must be an object']);
  });

  it('reports a channel without a pool list', () => {
    const c = validCatalog();
    delete (c.channels[0] as Partial<CatalogFile['channels'][number]>).pool;
    expect(validateCatalog(c)).toEqual(['channels[0].pool: must be a list of { location, priority }']);
  });
});
