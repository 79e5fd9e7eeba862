import {
  compareFigures,
  exceptionsFor,
  LocationCorrectionPolicy,
  lineKey,
  type ReconciliationInput,
} from './variance';

const input = (over: Partial<ReconciliationInput> = {}): ReconciliationInput => ({
  ledger: new Map([
    [lineKey('A', 'WH'), 10],
    [lineKey('B', 'WH'), 5],
    [lineKey('A', 'STORE'), 3],
  ]),
  erp: new Map([
    [lineKey('A', 'WH'), 10],
    [lineKey('B', 'WH'), 2],
  ]),
  wms: new Map([[lineKey('A', 'WH'), 14]]),
  erpLocations: new Set(['WH']),
  wmsLocations: new Set(['WH']),
  prices: new Map([
    ['A', 1000],
    ['B', 5000],
  ]),
  sent: new Map([[lineKey('A', 'WH'), { web: 10 }]]),
  expected: new Map([[lineKey('A', 'WH'), { web: 10 }]]),
  ...over,
});

describe('compareFigures', () => {
  it('gives each side a figure where it covers the location (missing SKU = 0) and none elsewhere', () => {
    const lines = compareFigures(input());
    const b = lines.find((l) => l.sku === 'B' && l.location === 'WH')!;
    expect(b).toMatchObject({
      ledgerOnHand: 5,
      erpOnHand: 2,
      wmsOnHand: 0,
      erpVariance: -3,
      wmsVariance: -5,
      exposureCents: 25_000,
    });
    const store = lines.find((l) => l.location === 'STORE')!;
    expect(store).toMatchObject({
      erpOnHand: null,
      wmsOnHand: null,
      erpVariance: null,
      wmsVariance: null,
      exposureCents: 0,
    });
  });

  it('has no backend figures when a snapshot could not be taken', () => {
    const lines = compareFigures(input({ erp: null, wms: null }));
    expect(lines.every((l) => l.erpOnHand === null && l.wmsOnHand === null)).toBe(true);
  });
});

describe('exceptionsFor', () => {
  it('opens exceptions over the threshold, ranked by exposure, and flags channel drift', () => {
    const lines = compareFigures(input({ sent: new Map([[lineKey('A', 'WH'), { web: 12 }]]) }));
    const ex = exceptionsFor(lines, 1);
    expect(ex.map((e) => [e.sku, e.kind, e.variance, e.exposureCents])).toEqual([
      ['B', 'wms-variance', -5, 25_000],
      ['B', 'erp-variance', -3, 15_000],
      ['A', 'wms-variance', 4, 4_000],
      ['A', 'channel-drift', 2, 2_000],
    ]);
    expect(exceptionsFor(lines, 4).map((e) => e.kind)).toEqual(['wms-variance', 'channel-drift']);
  });
});

describe('LocationCorrectionPolicy', () => {
  const policy = new LocationCorrectionPolicy();
  const [a] = compareFigures(input()).filter((l) => l.sku === 'A' && l.location === 'WH');

  it('corrects to the trusted side only when it differs, and never when reporting only', () => {
    expect(policy.target(a, 'trust-wms')).toBe(14);
    expect(policy.target(a, 'trust-erp')).toBeNull(); // the ERP agrees with the ledger
    expect(policy.target(a, 'report-only')).toBeNull();
  });
});
