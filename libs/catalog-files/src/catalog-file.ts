import type { ChannelPolicy } from '@stockbridge/canonical';
import type { LocationReconciliationPolicy } from '@stockbridge/ledger';

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
