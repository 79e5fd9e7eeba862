import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { ApiScope } from '@stockbridge/canonical';
import type { Pool } from 'pg';

export interface ApiClient {
  id: string;
  name: string;
  channel: string;
  /**
   * The store location the key is bound to (a store of its channel's pool), or null: a store's key acts for that
   * store only (experience-pos), a key without a store for no store.
   */
  store: string | null;
  scopes: ApiScope[];
  keyPrefix: string;
  createdAt: Date;
  revokedAt: Date | null;
}

export interface CreatedApiClient extends ApiClient {
  /** The secret key, shown once; only its hash is stored. */
  key: string;
}

interface Row {
  id: string;
  name: string;
  channel: string;
  store: string | null;
  scopes: ApiScope[];
  key_prefix: string;
  key_hash: string;
  created_at: Date;
  revoked_at: Date | null;
}

const toClient = (r: Row): ApiClient => ({
  id: r.id,
  name: r.name,
  channel: r.channel,
  store: r.store,
  scopes: r.scopes,
  keyPrefix: r.key_prefix,
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
});

/** Keys carry 256 random bits, so a fast hash is enough; a slow KDF would only cost latency. */
export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** Raised by `create` when the store a key would be bound to is not a store location of the key's channel. */
export class ApiKeyStoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ApiKeyStoreError';
  }
}

/** Raised by `verify` when the active keys could never be loaded (the database is unreachable since start). */
export class ApiKeysUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`API keys could not be loaded: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
    });
    this.name = 'ApiKeysUnavailableError';
  }
}

export interface ApiClientsOptions {
  /**
   * A key missing from the loaded set makes the set load again, at most this often (a key created since the
   * last load works within this time); a flood of unknown keys costs one query per period, not one per key.
   */
  missRefreshMs?: number;
  /** Told about a failed load while an older set is still used. */
  onStaleSet?: (error: unknown) => void;
}

/** The active keys as loaded by one query, and when that query was sent (performance.now()). */
interface ActiveSet {
  byHash: Map<string, ApiClient>;
  startedAt: number;
}

/**
 * The channels' API keys: each identifies one API client, bound to one channel (and possibly one store of it) with
 * scopes; only its hash is stored.
 */
export class ApiKeys {
  private current?: ActiveSet;
  private loading?: { startedAt: number; promise: Promise<ActiveSet> };
  /** No set loaded before this instant is used again (a revocation or creation through this instance). */
  private floor = Number.NEGATIVE_INFINITY;
  private lastFailureAt = Number.NEGATIVE_INFINITY;
  private readonly missRefreshMs: number;

  /**
   * @param cacheMs how long a loaded set of active keys is used before it is loaded again; a revocation takes
   *   effect within this time. 0 loads the set for every verification (tests).
   */
  constructor(
    private readonly pool: Pool,
    private readonly cacheMs = 10_000,
    private readonly options: ApiClientsOptions = {},
  ) {
    this.missRefreshMs = options.missRefreshMs ?? 1_000;
  }

  /**
   * Issues a key. With `store`, the key is bound to that store, which must be a location of type `store` in the
   * channel's pool (checked in the same statement that inserts the key).
   *
   * @throws ApiKeyStoreError when the store is not a store location of the channel.
   */
  async create(input: {
    name: string;
    channel: string;
    scopes: ApiScope[];
    store?: string | null;
    key?: string;
  }): Promise<CreatedApiClient> {
    const prefix = `sb_${input.channel.replace(/[^a-z0-9]/g, '')}_`;
    const key = input.key ?? `${prefix}${randomBytes(32).toString('base64url')}`;
    const store = input.store ?? null;
    const res = await this.pool.query<Row>(
      `INSERT INTO api_clients (id, name, channel, scopes, key_prefix, key_hash, store)
       SELECT $1::uuid, $2::text, $3::text, $4::text[], $5::text, $6::text, $7::text
        WHERE $7::text IS NULL OR EXISTS (
          SELECT 1 FROM channel_locations cl JOIN locations l ON l.code = cl.location
           WHERE cl.channel = $3 AND cl.location = $7 AND l.type = 'store')
       RETURNING *`,
      [
        randomUUID(),
        input.name,
        input.channel,
        input.scopes,
        key.slice(0, prefix.length + 4),
        hashKey(key),
        store,
      ],
    );
    if (res.rows.length === 0) throw await this.storeError(input.channel, store!);
    this.floor = performance.now();
    return { ...toClient(res.rows[0]), key };
  }

  /** Why `store` cannot carry a key of `channel`, in words. */
  private async storeError(channel: string, store: string): Promise<ApiKeyStoreError> {
    const res = await this.pool.query<{ type: string }>('SELECT type FROM locations WHERE code = $1', [
      store,
    ]);
    const location = res.rows[0];
    if (!location) return new ApiKeyStoreError(`unknown location "${store}"`);
    if (location.type !== 'store')
      return new ApiKeyStoreError(`location "${store}" is a ${location.type}, not a store`);
    // A store, so the insert found it outside the channel's pool.
    return new ApiKeyStoreError(`store "${store}" is not one of channel "${channel}"'s locations`);
  }

  async list(): Promise<ApiClient[]> {
    const res = await this.pool.query<Row>('SELECT * FROM api_clients ORDER BY created_at, id');
    return res.rows.map(toClient);
  }

  async revoke(id: string): Promise<boolean> {
    const res = await this.pool.query(
      'UPDATE api_clients SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL',
      [id],
    );
    this.floor = performance.now();
    return (res.rowCount ?? 0) > 0;
  }

  /**
   * The active client owning `key`, or null. Answers from the set of active keys held in memory: a known key
   * costs no query, and neither does an unknown one unless the set is due (every `cacheMs`, or at most once per
   * `missRefreshMs` on a miss). Concurrent verifications share one load.
   *
   * @throws ApiKeysUnavailableError when no set could be loaded yet.
   */
  async verify(key: string): Promise<ApiClient | null> {
    const hash = hashKey(key);
    const now = performance.now();
    const set = await this.loadedSince(now - this.cacheMs);
    const client = set.byHash.get(hash);
    if (client) return client;
    // Perhaps a key created since the set was loaded.
    const again = await this.loadedSince(now - this.missRefreshMs);
    return again.byHash.get(hash) ?? null;
  }

  /** A set loaded by a query sent after `instant` (or the newest set, when loading fails). */
  private async loadedSince(instant: number): Promise<ActiveSet> {
    const since = Math.max(instant, this.floor);
    if (this.current && this.current.startedAt > since) return this.current;
    if (this.loading && this.loading.startedAt > since) return this.loading.promise;
    // A load failed a moment ago: do not hammer an unreachable database, use what we have.
    if (this.current && performance.now() - this.lastFailureAt < this.missRefreshMs) return this.current;
    return this.load();
  }

  private load(): Promise<ActiveSet> {
    const startedAt = performance.now();
    const promise = this.pool
      .query<Row>('SELECT * FROM api_clients WHERE revoked_at IS NULL')
      .then(
        (res): ActiveSet => {
          const set = { byHash: new Map(res.rows.map((r) => [r.key_hash, toClient(r)])), startedAt };
          if (!this.current || this.current.startedAt < startedAt) this.current = set;
          return set;
        },
        (err: unknown): ActiveSet => {
          this.lastFailureAt = performance.now();
          if (!this.current) throw new ApiKeysUnavailableError(err);
          this.options.onStaleSet?.(err);
          return this.current;
        },
      )
      .finally(() => {
        if (this.loading?.promise === promise) this.loading = undefined;
      });
    this.loading = { startedAt, promise };
    return promise;
  }
}
