import type { CatalogFile, CatalogFileStock } from '@stockbridge/catalog-files';

/** Seed of the demo catalog. Changing it (or the generator) gives a new catalog, hence a new load id. */
export const DEMO_SEED = 20_240_501;
export const DEMO_SKU_COUNT = 500;

/** mulberry32: a tiny seeded PRNG, so that every machine generates the same demo catalog. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const ONE_SIZE: string[] = [];
const PRODUCTS: { name: string; sizes: string[]; priceCents: number }[] = [
  { name: 'Merino crew sock', sizes: ['S', 'M', 'L'], priceCents: 1_800 },
  { name: 'Hiking sock', sizes: ['S', 'M', 'L'], priceCents: 2_200 },
  { name: 'Organic cotton tee', sizes: ['XS', 'S', 'M', 'L', 'XL'], priceCents: 2_900 },
  { name: 'Long-sleeve henley', sizes: ['S', 'M', 'L', 'XL'], priceCents: 4_900 },
  { name: 'Linen shirt', sizes: ['S', 'M', 'L', 'XL'], priceCents: 6_900 },
  { name: 'Oxford button-down', sizes: ['S', 'M', 'L', 'XL'], priceCents: 7_400 },
  { name: 'Fleece quarter-zip', sizes: ['S', 'M', 'L', 'XL'], priceCents: 7_900 },
  { name: 'Cashmere crewneck', sizes: ['S', 'M', 'L'], priceCents: 16_900 },
  { name: 'Chino trousers', sizes: ['30', '32', '34', '36'], priceCents: 7_900 },
  { name: 'Selvedge denim jeans', sizes: ['30', '32', '34', '36'], priceCents: 12_900 },
  { name: 'Running short', sizes: ['S', 'M', 'L'], priceCents: 4_500 },
  { name: 'Rain shell jacket', sizes: ['S', 'M', 'L', 'XL'], priceCents: 18_900 },
  { name: 'Down puffer jacket', sizes: ['S', 'M', 'L', 'XL'], priceCents: 22_900 },
  { name: 'Trail running shoe', sizes: ['8', '9', '10', '11', '12'], priceCents: 13_900 },
  { name: 'Canvas sneaker', sizes: ['7', '8', '9', '10', '11'], priceCents: 6_500 },
  { name: 'Leather belt', sizes: ['S', 'M', 'L'], priceCents: 5_900 },
  { name: 'Boxer brief', sizes: ['S', 'M', 'L', 'XL'], priceCents: 2_400 },
  { name: 'Pyjama set', sizes: ['S', 'M', 'L'], priceCents: 6_900 },
  { name: 'Wool beanie', sizes: ONE_SIZE, priceCents: 3_200 },
  { name: 'Baseball cap', sizes: ONE_SIZE, priceCents: 2_800 },
  { name: 'Cashmere scarf', sizes: ONE_SIZE, priceCents: 8_900 },
  { name: 'Waxed canvas tote', sizes: ONE_SIZE, priceCents: 6_500 },
  { name: 'Roll-top backpack 20 l', sizes: ONE_SIZE, priceCents: 11_900 },
  { name: 'Insulated bottle 750 ml', sizes: ONE_SIZE, priceCents: 3_400 },
];

const COLOURS = [
  'navy',
  'charcoal',
  'black',
  'heather grey',
  'oat',
  'olive',
  'forest green',
  'rust',
  'burgundy',
  'sand',
  'sky blue',
  'white',
];

const WAREHOUSES = ['WH-EAST', 'WH-WEST'];
const STORES = ['STORE-NYC', 'STORE-BOS', 'STORE-SF', 'STORE-CHI'];

/**
 * SKU-00001's stock is fixed rather than drawn, so that documentation and curl examples can quote its figures:
 * on hand minus safety stock is 110 + 80 + 10 + 8 + 6 + 4, so web sees floor(218 × 0.9) = 196, the
 * marketplace its cap of 50, and POS 28.
 */
export const DEMO_SKU_00001_STOCK: CatalogFileStock[] = [
  { sku: 'SKU-00001', location: 'WH-EAST', onHand: 120, safetyStock: 10 },
  { sku: 'SKU-00001', location: 'WH-WEST', onHand: 80 },
  { sku: 'SKU-00001', location: 'STORE-NYC', onHand: 12, safetyStock: 2 },
  { sku: 'SKU-00001', location: 'STORE-BOS', onHand: 8 },
  { sku: 'SKU-00001', location: 'STORE-SF', onHand: 6 },
  { sku: 'SKU-00001', location: 'STORE-CHI', onHand: 4 },
];

/**
 * The demo catalog: 500 apparel SKUs drawn from product × colour × size, two distribution centres, four
 * stores and three channels with different policies. Deterministic: the same on every machine and run.
 */
export function buildDemoCatalog(seed = DEMO_SEED): CatalogFile {
  const random = mulberry32(seed);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));

  // Every product × colour × size, in catalog order; a seeded sample of 500 keeps that order, so that
  // neighbouring SKU numbers are variants of one product, as in a real catalog.
  const variants: { name: string; priceCents: number }[] = [];
  for (const product of PRODUCTS) {
    for (const colour of COLOURS) {
      for (const size of product.sizes.length > 0 ? product.sizes : [null]) {
        variants.push({
          name: [product.name, colour, size].filter((p) => p !== null).join(', '),
          priceCents: product.priceCents,
        });
      }
    }
  }
  const order = variants.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const chosen = order.slice(0, DEMO_SKU_COUNT).sort((a, b) => a - b);
  const skus = chosen.map((v, i) => ({
    sku: `SKU-${String(i + 1).padStart(5, '0')}`,
    name: variants[v].name,
    priceCents: variants[v].priceCents,
    // A retail margin of 60 %: cost of goods is 40 % of the price.
    costCents: Math.round(variants[v].priceCents * 0.4),
  }));

  const stock: CatalogFileStock[] = [...DEMO_SKU_00001_STOCK];
  for (const { sku } of skus.slice(1)) {
    for (const location of WAREHOUSES) {
      const row: CatalogFileStock = { sku, location, onHand: int(20, 400) };
      if (random() < 0.06) row.safetyStock = int(5, 20);
      stock.push(row);
    }
    for (const location of STORES) {
      const row: CatalogFileStock = { sku, location, onHand: random() < 0.18 ? 0 : int(1, 25) };
      if (row.onHand > 3 && random() < 0.04) row.safetyStock = int(1, 3);
      stock.push(row);
    }
  }

  return {
    locations: [
      {
        code: 'WH-EAST',
        name: 'East distribution centre, Newark NJ',
        type: 'warehouse',
        latitude: 40.6895,
        longitude: -74.1745,
      },
      {
        code: 'WH-WEST',
        name: 'West distribution centre, Reno NV',
        type: 'warehouse',
        latitude: 39.5349,
        longitude: -119.7527,
      },
      {
        code: 'STORE-NYC',
        name: 'SoHo store, New York',
        type: 'store',
        dailyShipCapacity: 20,
        latitude: 40.7233,
        longitude: -74.003,
      },
      {
        code: 'STORE-BOS',
        name: 'Back Bay store, Boston',
        type: 'store',
        dailyShipCapacity: 20,
        latitude: 42.3505,
        longitude: -71.079,
      },
      {
        code: 'STORE-SF',
        name: 'Hayes Valley store, San Francisco',
        type: 'store',
        dailyShipCapacity: 20,
        latitude: 37.7765,
        longitude: -122.4241,
      },
      {
        code: 'STORE-CHI',
        name: 'Wicker Park store, Chicago',
        type: 'store',
        dailyShipCapacity: 20,
        latitude: 41.9088,
        longitude: -87.6796,
      },
    ],
    skus,
    channels: [
      {
        code: 'web',
        name: 'Web storefront',
        policy: {
          bufferPercent: 10,
          holdback: 0,
          maxExposed: null,
          stalenessSeconds: null,
          staleMode: 'buffered',
        },
        pool: [
          { location: 'WH-EAST', priority: 10 },
          { location: 'WH-WEST', priority: 20 },
          { location: 'STORE-NYC', priority: 30 },
          { location: 'STORE-BOS', priority: 40 },
          { location: 'STORE-CHI', priority: 50 },
          { location: 'STORE-SF', priority: 60 },
        ],
      },
      {
        code: 'marketplace',
        name: 'Marketplace',
        policy: {
          bufferPercent: 20,
          holdback: 2,
          maxExposed: 50,
          stalenessSeconds: 3600,
          staleMode: 'zero',
          // A marketplace account holds for its orders; no one account may hold more than this.
          maxTtlSeconds: 1800,
          maxHeldUnitsPerClient: 100,
        },
        pool: [
          { location: 'WH-EAST', priority: 10 },
          { location: 'WH-WEST', priority: 20 },
        ],
      },
      {
        code: 'pos',
        name: 'Point of sale',
        policy: {
          bufferPercent: 0,
          holdback: 0,
          maxExposed: null,
          stalenessSeconds: null,
          staleMode: 'buffered',
          // Click and collect holds at the store until the pickup deadline: up to a week (the platform's maximum).
          maxTtlSeconds: 7 * 24 * 3600,
        },
        pool: STORES.map((location, i) => ({ location, priority: (i + 1) * 10 })),
      },
    ],
    stock,
  };
}
