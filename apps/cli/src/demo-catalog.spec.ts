import { validateCatalog } from '@stockbridge/catalog-files';
import { buildDemoCatalog, DEMO_SKU_00001_STOCK, mulberry32 } from './demo-catalog';

describe('mulberry32', () => {
  it('gives the same sequence for the same seed and a different one for another seed', () => {
    const a = mulberry32(7);
    const b = mulberry32(7);
    const c = mulberry32(8);
    const seqA = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(seqA);
    expect([c(), c(), c()]).not.toEqual(seqA);
    for (const x of seqA) expect(x >= 0 && x < 1).toBe(true);
  });
});

describe('buildDemoCatalog', () => {
  const catalog = buildDemoCatalog();

  it('is identical on every build, so its load id never changes by itself', () => {
    expect(JSON.stringify(buildDemoCatalog())).toBe(JSON.stringify(catalog));
  });

  it('passes catalog validation', () => {
    expect(validateCatalog(catalog)).toEqual([]);
  });

  it('has 500 SKUs numbered SKU-00001 to SKU-00500 with distinct names and prices', () => {
    expect(catalog.skus).toHaveLength(500);
    expect(catalog.skus[0].sku).toBe('SKU-00001');
    expect(catalog.skus[499].sku).toBe('SKU-00500');
    expect(new Set(catalog.skus.map((s) => s.name)).size).toBe(500);
    for (const s of catalog.skus) expect(s.priceCents).toBeGreaterThan(0);
    expect(catalog.skus[0].name).toMatch(/^Merino crew sock, /);
  });

  it('has two warehouses and four stores with coordinates', () => {
    expect(catalog.locations.map((l) => [l.code, l.type])).toEqual([
      ['WH-EAST', 'warehouse'],
      ['WH-WEST', 'warehouse'],
      ['STORE-NYC', 'store'],
      ['STORE-BOS', 'store'],
      ['STORE-SF', 'store'],
      ['STORE-CHI', 'store'],
    ]);
    for (const l of catalog.locations) {
      expect(typeof l.latitude).toBe('number');
      expect(typeof l.longitude).toBe('number');
    }
  });

  it('gives each channel its own pool and policy', () => {
    const byCode = new Map(catalog.channels.map((c) => [c.code, c]));
    expect(
      byCode
        .get('web')!
        .pool.map((p) => p.location)
        .sort(),
    ).toEqual(catalog.locations.map((l) => l.code).sort());
    expect(byCode.get('web')!.policy).toMatchObject({ bufferPercent: 10, holdback: 0 });
    expect(byCode.get('marketplace')!.pool.map((p) => p.location)).toEqual(['WH-EAST', 'WH-WEST']);
    expect(byCode.get('marketplace')!.policy).toEqual({
      bufferPercent: 20,
      holdback: 2,
      maxExposed: 50,
      stalenessSeconds: 3600,
      staleMode: 'zero',
      maxTtlSeconds: 1800,
      maxHeldUnitsPerClient: 100,
    });
    expect(byCode.get('pos')!.pool.map((p) => p.location)).toEqual([
      'STORE-NYC',
      'STORE-BOS',
      'STORE-SF',
      'STORE-CHI',
    ]);
    expect(byCode.get('pos')!.policy).toMatchObject({ bufferPercent: 0, holdback: 0 });
  });

  it('has a stock row for every SKU at every location, in the documented ranges', () => {
    expect(catalog.stock).toHaveLength(500 * 6);
    const warehouse = catalog.stock.filter((s) => s.location.startsWith('WH-')).map((s) => s.onHand);
    const store = catalog.stock.filter((s) => s.location.startsWith('STORE-')).map((s) => s.onHand);
    expect(Math.min(...warehouse)).toBeGreaterThanOrEqual(20);
    expect(Math.max(...warehouse)).toBeLessThanOrEqual(400);
    expect(Math.min(...store)).toBe(0);
    expect(Math.max(...store)).toBeLessThanOrEqual(25);
    const zeros = store.filter((q) => q === 0).length;
    expect(zeros).toBeGreaterThan(100);
    expect(zeros).toBeLessThan(700);
    const withSafety = catalog.stock.filter((s) => s.safetyStock !== undefined);
    expect(withSafety.length).toBeGreaterThan(10);
    expect(withSafety.length).toBeLessThan(300);
    for (const s of withSafety) expect(s.safetyStock!).toBeLessThan(s.onHand);
  });

  it('stocks SKU-00001 at every location with the fixed figures the documentation quotes', () => {
    const rows = catalog.stock.filter((s) => s.sku === 'SKU-00001');
    expect(rows).toEqual(DEMO_SKU_00001_STOCK);
    expect(rows.map((r) => r.location).sort()).toEqual(catalog.locations.map((l) => l.code).sort());
    for (const r of rows) expect(r.onHand - (r.safetyStock ?? 0)).toBeGreaterThan(0);
  });
});
