import { Db, type Sql } from '@stockbridge/persistence';

export interface AuditEntry {
  actor: string;
  action: string;
  targetType: string;
  targetId: string | null;
  details?: Record<string, unknown>;
}

export interface AuditRecord extends Required<AuditEntry> {
  id: string;
  at: Date;
}

/** Who did what to which thing: every operator action, written in the transaction of the action itself. */
export class AuditLog {
  constructor(private readonly db: Db) {}

  async write(sql: Sql, e: AuditEntry): Promise<void> {
    await sql.query(
      `INSERT INTO audit_log (actor, action, target_type, target_id, details) VALUES ($1, $2, $3, $4, $5)`,
      [e.actor, e.action, e.targetType, e.targetId, JSON.stringify(e.details ?? {})],
    );
  }

  /**
   * Entries newest first (by id), filtered by target and actor. `beforeId` (the id of the last entry of the
   * page before) starts after that entry, for keyset paging; at most 1001 rows: a page of up to 1000 and the
   * one more that tells whether another page follows.
   */
  async list(
    filter: {
      targetType?: string;
      targetId?: string;
      actor?: string;
      beforeId?: string;
      limit?: number;
    } = {},
  ): Promise<AuditRecord[]> {
    const res = await this.db.query<{
      id: string;
      actor: string;
      action: string;
      target_type: string;
      target_id: string | null;
      details: Record<string, unknown>;
      at: Date;
    }>(
      `SELECT * FROM audit_log WHERE ($1::text IS NULL OR target_type = $1) AND ($2::text IS NULL OR target_id = $2)
         AND ($3::text IS NULL OR actor = $3) AND ($4::bigint IS NULL OR id < $4)
       ORDER BY id DESC LIMIT $5`,
      [
        filter.targetType ?? null,
        filter.targetId ?? null,
        filter.actor ?? null,
        filter.beforeId ?? null,
        Math.min(filter.limit ?? 100, 1001),
      ],
    );
    return res.rows.map((r) => ({
      id: String(r.id),
      actor: r.actor,
      action: r.action,
      targetType: r.target_type,
      targetId: r.target_id,
      details: r.details,
      at: r.at,
    }));
  }
}
