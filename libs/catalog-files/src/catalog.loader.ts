import { createHash } from 'node:crypto';
import { DEFAULT_CHANNEL_POLICY, type ChannelPolicy } from '@stockbridge/canonical';
import {
  lockOrder,
  type Catalog,
  type ChannelInput,
  type Db,
  type LocationInput,
  type MovementCommand,
  type Movements,
  type SkuInput,
} from '@stockbridge/ledger';
import {
  CATALOG_SOURCE_SYSTEM,
  CatalogFileError,
  type CatalogFile,
  type CatalogFileStock,
} from './catalog-file';
import { validateCatalog } from './catalog.validator';

/** A load id for `loadCatalog`: the sha256 of the file's content (of each part in order, for several files). */
export function catalogLoadId(...parts: string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(`${Buffer.byteLength(part)}:`).update(part);
  return hash.digest('hex');
}

export function channelPolicyOf(policy: Partial<ChannelPolicy> | undefined): ChannelPolicy {
  return {
    bufferPercent: policy?.bufferPercent ?? DEFAULT_CHANNEL_POLICY.bufferPercent,
    holdback: policy?.holdback ?? DEFAULT_CHANNEL_POLICY.holdback,
    maxExposed: policy?.maxExposed ?? DEFAULT_CHANNEL_POLICY.maxExposed,
    stalenessSeconds: policy?.stalenessSeconds ?? DEFAULT_CHANNEL_POLICY.stalenessSeconds,
    staleMode: policy?.staleMode ?? DEFAULT_CHANNEL_POLICY.staleMode,
    maxTtlSeconds: policy?.maxTtlSeconds ?? DEFAULT_CHANNEL_POLICY.maxTtlSeconds,
    maxHeldUnitsPerClient: policy?.maxHeldUnitsPerClient ?? DEFAULT_CHANNEL_POLICY.maxHeldUnitsPerClient,
  };
}

/** The movements that apply a file's stock rows, in lock order (count first, then safety stock, per row). */
export function catalogStockMovements(stock: CatalogFileStock[], loadId: string): MovementCommand[] {
  const cmds: MovementCommand[] = [];
  for (const s of lockOrder(stock)) {
    const base = {
      sku: s.sku,
      location: s.location,
      sourceSystem: CATALOG_SOURCE_SYSTEM,
      reason: `catalog load ${loadId.slice(0, 12)}`,
    };
    cmds.push({
      ...base,
      kind: 'count',
      quantity: s.onHand,
      sourceEventId: `${loadId}:${s.sku}@${s.location}:on-hand`,
    });
    if (s.safetyStock !== undefined) {
      cmds.push({
        ...base,
        kind: 'set-safety-stock',
        quantity: s.safetyStock,
        sourceEventId: `${loadId}:${s.sku}@${s.location}:safety-stock`,
      });
    }
  }
  return cmds;
}

export interface CatalogLoadDeps {
  db: Db;
  catalog: Catalog;
  movements: Movements;
}

export interface CatalogLoadOptions {
  /** Identifies this content (see `catalogLoadId`): loading the same id again changes no stock. */
  loadId: string;
  /** Movements per transaction. */
  chunkSize?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface CatalogLoadResult {
  locations: number;
  skus: number;
  channels: number;
  stockRows: number;
  /** Stock movements recorded by this load. */
  movementsApplied: number;
  /** Stock movements skipped because an earlier load with the same id recorded them. */
  movementsAlreadyApplied: number;
}

/**
 * Validates and loads a catalog file: locations, SKUs and channels are upserted in one transaction, then the
 * stock rows become `count` and `set-safety-stock` movements, in transactions of ~1000 movements, each
 * exactly once per load id. A load that fails halfway through its stock can simply be run again.
 */
export async function loadCatalog(
  deps: CatalogLoadDeps,
  file: CatalogFile,
  options: CatalogLoadOptions,
): Promise<CatalogLoadResult> {
  const { db, catalog, movements } = deps;
  if (!options.loadId) throw new Error('loadCatalog needs a load id');
  const known = await existingReferences(db, file);
  const problems = validateCatalog(file, known);
  if (problems.length > 0) throw new CatalogFileError(problems);

  await retryOnUniqueViolation(() =>
    db.tx(async (sql) => {
      await catalog.upsertLocations(
        sql,
        file.locations.map((l): LocationInput => ({
          code: l.code,
          name: l.name,
          type: l.type,
          latitude: l.latitude ?? null,
          longitude: l.longitude ?? null,
          dailyShipCapacity: l.dailyShipCapacity ?? null,
          reconciliationPolicy: l.reconciliationPolicy ?? null,
        })),
      );
      await catalog.upsertSkus(
        sql,
        file.skus.map((s): SkuInput => ({
          sku: s.sku,
          name: s.name,
          priceCents: s.priceCents ?? 0,
          costCents: s.costCents ?? 0,
        })),
      );
      await catalog.upsertChannels(
        sql,
        file.channels.map((c): ChannelInput => ({
          code: c.code,
          name: c.name,
          policy: channelPolicyOf(c.policy),
          pool: c.pool.map((p, i) => ({ location: p.location, priority: p.priority ?? (i + 1) * 10 })),
        })),
      );
    }),
  );

  const cmds = catalogStockMovements(file.stock, options.loadId);
  const chunkSize = options.chunkSize ?? 1000;
  let applied = 0;
  let already = 0;
  for (let i = 0; i < cmds.length; i += chunkSize) {
    const chunk = cmds.slice(i, i + chunkSize);
    const outcome = await retryOnUniqueViolation(() => applyChunk(db, movements, chunk));
    applied += outcome.applied;
    already += outcome.already;
    options.onProgress?.(Math.min(i + chunkSize, cmds.length), cmds.length);
  }
  return {
    locations: file.locations.length,
    skus: file.skus.length,
    channels: file.channels.length,
    stockRows: file.stock.length,
    movementsApplied: applied,
    movementsAlreadyApplied: already,
  };
}

async function applyChunk(
  db: Db,
  movements: Movements,
  chunk: MovementCommand[],
): Promise<{ applied: number; already: number }> {
  // Skipping what an earlier load recorded keeps a repeated load cheap; applyAll would answer those as
  // duplicates anyway.
  const done = await db.query<{ id: string }>(
    `SELECT source_event_id AS id FROM stock_movements WHERE source_system = $1 AND source_event_id = ANY($2::text[])`,
    [CATALOG_SOURCE_SYSTEM, chunk.map((c) => c.sourceEventId)],
  );
  const seen = new Set(done.rows.map((r) => r.id));
  const todo = chunk.filter((c) => !seen.has(c.sourceEventId));
  let applied = 0;
  let already = chunk.length - todo.length;
  if (todo.length > 0) {
    for (const o of await movements.applyAll(todo)) {
      if (o.duplicate) already++;
      else applied++;
    }
  }
  return { applied, already };
}

/**
 * Two loads of the same file at once (two start scripts, say) collide on unique keys: the same movement
 * event ids, the same channel pool rows. The loser's transaction rolls back whole; run again, it finds the
 * winner's rows and skips or upserts them.
 */
async function retryOnUniqueViolation<T>(fn: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if ((err as { code?: string }).code !== '23505' || attempt >= attempts) throw err;
    }
  }
}

/** Which SKUs and locations the file references without defining them exist in the database already. */
async function existingReferences(
  db: Db,
  file: CatalogFile,
): Promise<{ locations: string[]; skus: string[] }> {
  const definedLocations = new Set(Array.isArray(file.locations) ? file.locations.map((l) => l?.code) : []);
  const definedSkus = new Set(Array.isArray(file.skus) ? file.skus.map((s) => s?.sku) : []);
  const locations = new Set<string>();
  const skus = new Set<string>();
  const stock = Array.isArray(file.stock) ? file.stock : [];
  const channels = Array.isArray(file.channels) ? file.channels : [];
  for (const s of stock) {
    if (typeof s?.location === 'string' && !definedLocations.has(s.location)) locations.add(s.location);
    if (typeof s?.sku === 'string' && !definedSkus.has(s.sku)) skus.add(s.sku);
  }
  for (const c of channels) {
    for (const p of Array.isArray(c?.pool) ? c.pool : []) {
      if (typeof p?.location === 'string' && !definedLocations.has(p.location)) locations.add(p.location);
    }
  }
  const [l, s] = await Promise.all([
    locations.size === 0
      ? { rows: [] }
      : db.query<{ code: string }>('SELECT code FROM locations WHERE code = ANY($1::text[])', [
          [...locations],
        ]),
    skus.size === 0
      ? { rows: [] }
      : db.query<{ code: string }>('SELECT sku AS code FROM skus WHERE sku = ANY($1::text[])', [[...skus]]),
  ]);
  return { locations: l.rows.map((r) => r.code), skus: s.rows.map((r) => r.code) };
}
