import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ProblemError } from '@stockbridge/app-platform';
import { AuditLog } from '@stockbridge/messaging';
import { Db, type Sql } from '@stockbridge/persistence';
import type { MarketplaceResyncView } from './marketplace-resync.dto';

interface Row {
  id: string;
  channel: string;
  trigger: string;
  requested_by: string;
  requested_at: Date;
  status: string;
  started_at: Date | null;
  finished_at: Date | null;
  attempts: number;
  listed: number | null;
  corrected: number | null;
  skus: number | null;
  last_error: string | null;
}

const toView = (r: Row): MarketplaceResyncView => ({
  id: r.id,
  channel: r.channel,
  trigger: r.trigger,
  requestedBy: r.requested_by,
  requestedAt: r.requested_at.toISOString(),
  status: r.status,
  startedAt: r.started_at?.toISOString() ?? null,
  finishedAt: r.finished_at?.toISOString() ?? null,
  attempts: r.attempts,
  listed: r.listed,
  corrected: r.corrected,
  skus: r.skus,
  lastError: r.last_error,
});

/**
 * Resyncs of a marketplace channel on an operator's behalf: a request is a row of `marketplace_resyncs`, which
 * the channel's experience-marketplace leader takes up (the app owns the table; ops only asks and reads). At
 * most one waits per channel: asking while one waits answers that one. Audited.
 */
@Injectable()
export class MarketplaceResyncs {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
  ) {}

  async request(channel: string, actor: string): Promise<MarketplaceResyncView> {
    return this.db.tx(async (sql) => {
      await this.channelExists(sql, channel);
      const inserted = await sql.query<Row>(
        `INSERT INTO marketplace_resyncs (id, channel, trigger, requested_by) VALUES ($1, $2, 'ops', $3)
         ON CONFLICT (channel) WHERE status = 'requested' DO NOTHING RETURNING *`,
        [randomUUID(), channel, actor],
      );
      const row =
        inserted.rows[0] ??
        (
          await sql.query<Row>(
            `SELECT * FROM marketplace_resyncs WHERE channel = $1 AND status = 'requested'`,
            [channel],
          )
        ).rows[0];
      // Neither inserted nor waiting: the leader took the waiting one between the statements; ask again.
      if (!row) throw ProblemError.of(409, 'conflict', 'A resync was just taken up; ask again.');
      await this.audit.write(sql, {
        actor,
        action: 'marketplace.resync',
        targetType: 'channel',
        targetId: channel,
        details: { resyncId: row.id, waitingAlready: inserted.rows.length === 0 },
      });
      return toView(row);
    });
  }

  async get(channel: string, id: string): Promise<MarketplaceResyncView> {
    const res = await this.db.query<Row>(`SELECT * FROM marketplace_resyncs WHERE id = $1 AND channel = $2`, [
      id,
      channel,
    ]);
    if (!res.rows[0]) throw ProblemError.of(404, 'not-found', `No resync ${id} of channel ${channel}.`);
    return toView(res.rows[0]);
  }

  private async channelExists(sql: Sql, channel: string): Promise<void> {
    const res = await sql.query(`SELECT 1 FROM channels WHERE code = $1`, [channel]);
    if (res.rows.length === 0)
      throw ProblemError.of(404, 'unknown-channel', `Channel "${channel}" does not exist.`);
  }
}
