import { Db, type Sql } from '@stockbridge/persistence';

/** Runs inside the transaction of a mapping change (an audit entry that must commit with it). */
export type Within = (sql: Sql) => Promise<void>;

export type XrefKind = 'sku' | 'location';

export interface Xref {
  system: string;
  externalCode: string;
  /** Our SKU or location code. */
  code: string;
}

export interface UomConversion {
  system: string;
  uom: string;
  /** A SKU, or '*' for the backend's default for this unit. */
  sku: string;
  factor: number;
}

/** A page of cross-references: `after` is the key (system, external code) of the last one of the page before. */
export interface XrefListPage {
  system?: string;
  after?: readonly [system: string, externalCode: string];
  limit: number;
}

/** A page of unit conversions: `after` is the key (system, uom, sku) of the last one of the page before. */
export interface UomListPage {
  system?: string;
  after?: readonly [system: string, uom: string, sku: string];
  limit: number;
}

export interface BundleComponent {
  bundleSku: string;
  componentSku: string;
  quantity: number;
}

interface SystemMaps {
  skuByExternal: Map<string, string>;
  externalBySku: Map<string, string>;
  locationByExternal: Map<string, string>;
  externalByLocation: Map<string, string>;
  /** `${uom}|${sku}` → eaches per unit. */
  uom: Map<string, number>;
  loadedAt: number;
}

/** A code the backend or the platform uses has no cross-reference. Retrying cannot help: add the mapping. */
export class UnmappedError extends Error {
  constructor(
    readonly system: string,
    readonly what: 'sku' | 'location' | 'uom',
    readonly code: string,
  ) {
    super(`No ${what} mapping for "${code}" in ${system}.`);
    this.name = 'UnmappedError';
  }
}

/** Rows per statement of `putXrefs`. */
const XREF_CHUNK = 5_000;

/**
 * The rows that stand once all are put in order: a row stays unless a later one has its code or its external
 * code in the same system (that later row moved it, even when a row later still moved that one).
 */
function survivors(rows: Xref[]): Xref[] {
  const taken = new Set<string>();
  const kept: Xref[] = [];
  for (let i = rows.length - 1; i >= 0; i--) {
    const r = rows[i];
    const byCode = `${r.system}\ncode\n${r.code}`;
    const byExternal = `${r.system}\next\n${r.externalCode}`;
    if (!taken.has(byCode) && !taken.has(byExternal)) kept.push(r);
    taken.add(byCode);
    taken.add(byExternal);
  }
  return kept.reverse();
}

const XREF_TABLE = {
  sku: { table: 'sku_xrefs', column: 'sku' },
  location: { table: 'location_xrefs', column: 'location' },
} as const;

/**
 * Cross-references between each backend's codes and ours (SKU, location, unit of measure, bundles), read
 * from PostgreSQL and cached per backend. The cache is dropped when any mapping changes (a NOTIFY from the
 * tables' triggers, see MappingCacheListener) and after `ttlMs` at the latest.
 */
export class Mappings {
  private readonly cache = new Map<string, Promise<SystemMaps>>();

  constructor(
    private readonly db: Db,
    private readonly ttlMs = 60_000,
  ) {}

  invalidate(): void {
    this.cache.clear();
  }

  async sku(system: string, externalCode: string): Promise<string> {
    const found = (await this.maps(system)).skuByExternal.get(externalCode);
    if (!found) throw new UnmappedError(system, 'sku', externalCode);
    return found;
  }

  async externalSku(system: string, sku: string): Promise<string> {
    const found = (await this.maps(system)).externalBySku.get(sku);
    if (!found) throw new UnmappedError(system, 'sku', sku);
    return found;
  }

  async location(system: string, externalCode: string): Promise<string> {
    const found = (await this.maps(system)).locationByExternal.get(externalCode);
    if (!found) throw new UnmappedError(system, 'location', externalCode);
    return found;
  }

  async externalLocation(system: string, location: string): Promise<string> {
    const found = (await this.maps(system)).externalByLocation.get(location);
    if (!found) throw new UnmappedError(system, 'location', location);
    return found;
  }

  /** Eaches in one `uom` of `sku` in this backend: the SKU's own conversion, else the backend default; EA is 1. */
  async factor(system: string, uom: string, sku: string): Promise<number> {
    const maps = await this.maps(system);
    const f = maps.uom.get(`${uom}|${sku}`) ?? maps.uom.get(`${uom}|*`) ?? (uom === 'EA' ? 1 : undefined);
    if (f === undefined) throw new UnmappedError(system, 'uom', `${uom} (${sku})`);
    return f;
  }

  /** A backend quantity in our unit (eaches). */
  async toEaches(system: string, sku: string, quantity: number, uom: string): Promise<number> {
    return quantity * (await this.factor(system, uom, sku));
  }

  async bundle(bundleSku: string): Promise<BundleComponent[]> {
    const res = await this.db.query<{ component_sku: string; quantity: number }>(
      `SELECT component_sku, quantity FROM bundle_components WHERE bundle_sku = $1 ORDER BY component_sku`,
      [bundleSku],
    );
    return res.rows.map((r) => ({ bundleSku, componentSku: r.component_sku, quantity: r.quantity }));
  }

  // --- administration (the ops API) ---

  /**
   * Cross-references in the order of their key (system, external code), only `system`'s when given: up to
   * `limit` after the key `after` (the last of the page before), for keyset paging.
   */
  async listXrefs(kind: XrefKind, page: XrefListPage): Promise<Xref[]> {
    const t = XREF_TABLE[kind];
    const res = await this.db.query<{ system: string; external_code: string; code: string }>(
      `SELECT system, external_code, ${t.column} AS code FROM ${t.table}
        WHERE ($1::text IS NULL OR system = $1) AND ($2::text IS NULL OR (system, external_code) > ($2, $3::text))
        ORDER BY system, external_code LIMIT $4`,
      [page.system ?? null, page.after?.[0] ?? null, page.after?.[1] ?? null, page.limit],
    );
    return res.rows.map((r) => ({ system: r.system, externalCode: r.external_code, code: r.code }));
  }

  /**
   * Sets cross-references; a code or an external code that pointed elsewhere is moved. As if the rows were
   * put one after the other (a later row moves what an earlier one set), in two set-based statements per
   * 5,000 rows: a catalog of 100,000 SKUs maps in seconds, not minutes.
   */
  async putXrefs(kind: XrefKind, rows: Xref[], within?: Within): Promise<void> {
    const t = XREF_TABLE[kind];
    await this.db.tx(async (sql) => {
      for (let i = 0; i < rows.length; i += XREF_CHUNK) {
        const chunk = rows.slice(i, i + XREF_CHUNK);
        const cols = (list: Xref[]) => [
          list.map((r) => r.system),
          list.map((r) => r.externalCode),
          list.map((r) => r.code),
        ];
        // Every row, the ones a later row overrides included, moves what the table held for its keys.
        await sql.query(
          `DELETE FROM ${t.table} x USING unnest($1::text[], $2::text[], $3::text[]) AS r(system, external_code, code)
            WHERE x.system = r.system AND x.${t.column} = r.code`,
          cols(chunk),
        );
        await sql.query(
          `DELETE FROM ${t.table} x USING unnest($1::text[], $2::text[], $3::text[]) AS r(system, external_code, code)
            WHERE x.system = r.system AND x.external_code = r.external_code`,
          cols(chunk),
        );
        await sql.query(
          `INSERT INTO ${t.table} (system, external_code, ${t.column})
           SELECT * FROM unnest($1::text[], $2::text[], $3::text[])`,
          cols(survivors(chunk)),
        );
      }
      await within?.(sql);
    });
    this.invalidate();
  }

  /** The code the removed cross-reference pointed to, or null when there was none (and `within` did not run). */
  async deleteXref(
    kind: XrefKind,
    system: string,
    externalCode: string,
    within?: (sql: Sql, code: string) => Promise<void>,
  ): Promise<string | null> {
    const t = XREF_TABLE[kind];
    const removed = await this.db.tx(async (sql) => {
      const res = await sql.query<{ code: string }>(
        `DELETE FROM ${t.table} WHERE system = $1 AND external_code = $2 RETURNING ${t.column} AS code`,
        [system, externalCode],
      );
      const code = res.rows[0]?.code ?? null;
      if (code !== null) await within?.(sql, code);
      return code;
    });
    this.invalidate();
    return removed;
  }

  /**
   * Unit conversions in the order of their key (system, uom, sku), only `system`'s when given: up to `limit`
   * after the key `after` (the last of the page before), for keyset paging.
   */
  async listUoms(page: UomListPage): Promise<UomConversion[]> {
    const res = await this.db.query<{ system: string; uom: string; sku: string; factor: number }>(
      `SELECT system, uom, sku, factor FROM uom_conversions
        WHERE ($1::text IS NULL OR system = $1) AND ($2::text IS NULL OR (system, uom, sku) > ($2, $3::text, $4::text))
        ORDER BY system, uom, sku LIMIT $5`,
      [
        page.system ?? null,
        page.after?.[0] ?? null,
        page.after?.[1] ?? null,
        page.after?.[2] ?? null,
        page.limit,
      ],
    );
    return res.rows;
  }

  async putUoms(rows: UomConversion[], within?: Within): Promise<void> {
    await this.db.tx(async (sql) => {
      for (const r of rows) {
        await sql.query(
          `INSERT INTO uom_conversions (system, uom, sku, factor) VALUES ($1, $2, $3, $4)
           ON CONFLICT (system, uom, sku) DO UPDATE SET factor = excluded.factor, updated_at = now()`,
          [r.system, r.uom, r.sku, r.factor],
        );
      }
      await within?.(sql);
    });
    this.invalidate();
  }

  async putBundle(
    bundleSku: string,
    components: { componentSku: string; quantity: number }[],
    within?: Within,
  ): Promise<void> {
    await this.db.tx(async (sql) => {
      await sql.query(`DELETE FROM bundle_components WHERE bundle_sku = $1`, [bundleSku]);
      for (const c of components) {
        await sql.query(
          `INSERT INTO bundle_components (bundle_sku, component_sku, quantity) VALUES ($1, $2, $3)`,
          [bundleSku, c.componentSku, c.quantity],
        );
      }
      await within?.(sql);
    });
  }

  private maps(system: string): Promise<SystemMaps> {
    const cached = this.cache.get(system);
    if (cached) {
      void cached.then((m) => {
        if (Date.now() - m.loadedAt > this.ttlMs && this.cache.get(system) === cached)
          this.cache.delete(system);
      });
      return cached;
    }
    const loading = this.load(system);
    this.cache.set(system, loading);
    loading.catch(() => this.cache.delete(system));
    return loading;
  }

  private async load(system: string): Promise<SystemMaps> {
    const [skus, locations, uoms] = await Promise.all([
      this.db.query<{ external_code: string; sku: string }>(
        `SELECT external_code, sku FROM sku_xrefs WHERE system = $1`,
        [system],
      ),
      this.db.query<{ external_code: string; location: string }>(
        `SELECT external_code, location FROM location_xrefs WHERE system = $1`,
        [system],
      ),
      this.db.query<{ uom: string; sku: string; factor: number }>(
        `SELECT uom, sku, factor FROM uom_conversions WHERE system = $1`,
        [system],
      ),
    ]);
    return {
      skuByExternal: new Map(skus.rows.map((r) => [r.external_code, r.sku])),
      externalBySku: new Map(skus.rows.map((r) => [r.sku, r.external_code])),
      locationByExternal: new Map(locations.rows.map((r) => [r.external_code, r.location])),
      externalByLocation: new Map(locations.rows.map((r) => [r.location, r.external_code])),
      uom: new Map(uoms.rows.map((r) => [`${r.uom}|${r.sku}`, r.factor])),
      loadedAt: Date.now(),
    };
  }
}
