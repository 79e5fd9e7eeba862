import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { ApiScope } from '@stockbridge/canonical';
import type { Pool } from 'pg';

export interface ApiClient {
  id: string;
  name: string;
  channel: string;
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
  scopes: ApiScope[];
  key_prefix: string;
  created_at: Date;
  revoked_at: Date | null;
}

const toClient = (r: Row): ApiClient => ({
  id: r.id,
  name: r.name,
  channel: r.channel,
  scopes: r.scopes,
  keyPrefix: r.key_prefix,
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
});

/** Keys carry 256 random bits, so a fast hash is enough; a slow KDF would only cost latency. */
export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** API clients of the channels: keys bound to one channel with scopes. */
export class ApiClients {
  private readonly cache = new Map<string, { at: number; client: ApiClient | null }>();

  /**
   * @param cacheMs how long a verified key is trusted without asking the database; a revocation takes
   *   effect within this time.
   */
  constructor(
    private readonly pool: Pool,
    private readonly cacheMs = 10_000,
  ) {}

  async create(input: {
    name: string;
    channel: string;
    scopes: ApiScope[];
    key?: string;
  }): Promise<CreatedApiClient> {
    const prefix = `sb_${input.channel.replace(/[^a-z0-9]/g, '')}_`;
    const key = input.key ?? `${prefix}${randomBytes(32).toString('base64url')}`;
    const res = await this.pool.query<Row>(
      `INSERT INTO api_clients (id, name, channel, scopes, key_prefix, key_hash)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
      [randomUUID(), input.name, input.channel, input.scopes, key.slice(0, prefix.length + 4), hashKey(key)],
    );
    return { ...toClient(res.rows[0]), key };
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
    this.cache.clear();
    return (res.rowCount ?? 0) > 0;
  }

  /** The active client owning `key`, or null. */
  async verify(key: string): Promise<ApiClient | null> {
    const hash = hashKey(key);
    const hit = this.cache.get(hash);
    if (hit && Date.now() - hit.at < this.cacheMs) return hit.client;
    const res = await this.pool.query<Row>(
      'SELECT * FROM api_clients WHERE key_hash = $1 AND revoked_at IS NULL',
      [hash],
    );
    const client = res.rows[0] ? toClient(res.rows[0]) : null;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(hash, { at: Date.now(), client });
    return client;
  }
}
