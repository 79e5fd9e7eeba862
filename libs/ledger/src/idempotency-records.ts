import type { ChannelPoolMember } from '@stockbridge/canonical';
import type { PoolClient } from 'pg';
import { prepared } from './db';
import { LedgerError } from './ledger.error';
import { KeyTaken } from './reservation-records';
import { AVAILABLE_SQL } from './rows';
import type { SourcingCandidate } from './sourcing.strategy';

/** Whose key, which key, and for how long its response is kept. */
export interface IdempotencyScope {
  principal: string;
  key: string;
  retentionHours: number;
}

export interface StoredResponse {
  status: number;
  body: unknown;
}

export interface PoolRead {
  candidates: Map<string, SourcingCandidate[]>;
}

/**
 * One statement: with a key, takes the transaction-scoped advisory lock of the key (a concurrent twin gets
 * `idempotency-key-in-flight`) and looks up the response stored under it (`idempotency-key-reused` when the
 * fingerprint differs); then reads what each SKU has at each location of the pool (`unknown-sku` for a SKU
 * the catalog lacks). Every operation taking a key takes this lock, so one key never runs two operations at
 * once. A twin that committed after this statement's snapshot is caught when our own record cannot be
 * written (`storeResponse` throws KeyTaken).
 */
export async function claimAndReadPool(
  sql: PoolClient,
  idem: IdempotencyScope | undefined,
  print: string,
  skus: string[],
  pool: ChannelPoolMember[],
): Promise<{ stored: StoredResponse } | PoolRead> {
  const res = await sql.query<{
    locked: boolean;
    fingerprint: string | null;
    response_status: number | null;
    response_body: string | null;
    sku: string | null;
    location: string | null;
    available: string | null;
  }>(
    prepared(
      `WITH claim AS MATERIALIZED (
         SELECT CASE WHEN $3::text IS NULL THEN true
                     ELSE pg_try_advisory_xact_lock(hashtextextended($3 || E'\\n' || $4, 0)) END AS locked,
                r.fingerprint, r.response_status, r.response_body
         FROM (SELECT 1) one
         LEFT JOIN idempotency_records r
           ON $3::text IS NOT NULL AND r.principal = $3 AND r.idempotency_key = $4 AND r.expires_at > now()
       )
       SELECT claim.*, k.sku, s.location,
         ${AVAILABLE_SQL} AS available
       FROM claim
       LEFT JOIN skus k ON k.sku = ANY($1::text[])
       LEFT JOIN stock_levels s ON s.sku = k.sku AND s.location = ANY($2::text[])`,
      [skus, pool.map((p) => p.location), idem?.principal ?? null, idem?.key ?? null],
    ),
  );
  const claim = res.rows[0];
  if (!claim.locked) throw keyInFlight();
  if (claim.fingerprint !== null) {
    if (claim.fingerprint !== print) throw keyReused();
    return {
      stored: {
        status: claim.response_status as number,
        body: JSON.parse(claim.response_body as string) as unknown,
      },
    };
  }
  const known = new Set(res.rows.filter((r) => r.sku !== null).map((r) => r.sku as string));
  const unknown = skus.filter((s) => !known.has(s));
  if (unknown.length > 0) {
    throw new LedgerError('unknown-sku', `Unknown SKU ${unknown.map((s) => `"${s}"`).join(', ')}.`, {
      skus: unknown,
    });
  }
  const priority = new Map(pool.map((p) => [p.location, p.priority]));
  const candidates = new Map<string, SourcingCandidate[]>(skus.map((sku) => [sku, []]));
  for (const r of res.rows) {
    if (r.sku === null || r.location === null) continue;
    candidates.get(r.sku)!.push({
      location: r.location,
      priority: priority.get(r.location) ?? 1000,
      available: Math.max(0, Number(r.available)),
    });
  }
  return { candidates };
}

/**
 * Stores the response under the key (replacing a record past its retention). Throws KeyTaken when a live
 * record appeared meanwhile: the caller's transaction then rolls back and the retry replays that record.
 */
export async function storeResponse(
  sql: PoolClient,
  idem: IdempotencyScope,
  print: string,
  response: StoredResponse,
  resourceId: string | null,
): Promise<void> {
  const res = await sql.query(
    `INSERT INTO idempotency_records (principal, idempotency_key, fingerprint, response_status, response_body, resource_id, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6::uuid, now() + make_interval(hours => $7::int))
     ON CONFLICT (principal, idempotency_key) DO UPDATE SET fingerprint = EXCLUDED.fingerprint,
       response_status = EXCLUDED.response_status, response_body = EXCLUDED.response_body,
       resource_id = EXCLUDED.resource_id, created_at = now(), expires_at = EXCLUDED.expires_at
     WHERE idempotency_records.expires_at <= now()`,
    [
      idem.principal,
      idem.key,
      print,
      response.status,
      JSON.stringify(response.body),
      resourceId,
      idem.retentionHours,
    ],
  );
  if (res.rowCount === 0) throw new KeyTaken();
}

function keyInFlight(): LedgerError {
  return new LedgerError(
    'idempotency-key-in-flight',
    'A request with this Idempotency-Key is still being processed; retry shortly.',
  );
}

function keyReused(): LedgerError {
  return new LedgerError(
    'idempotency-key-reused',
    'This Idempotency-Key was already used with a different request body.',
  );
}
