import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Db } from '@stockbridge/persistence';

/** Who asked for a resync. */
export type ResyncTrigger = 'api' | 'ops' | 'schedule' | 'feed-lost' | 'first-start';

export interface Resync {
  id: string;
  channel: string;
  trigger: ResyncTrigger;
  requestedBy: string;
  requestedAt: Date;
  status: 'requested' | 'running' | 'done';
  startedAt: Date | null;
  finishedAt: Date | null;
  attempts: number;
  /** Listings the marketplace reported. */
  listed: number | null;
  /** SKUs whose quantity at the marketplace differed from what the platform last sent. */
  corrected: number | null;
  /** SKUs of the channel marked pending. */
  skus: number | null;
  lastError: string | null;
}

interface Row {
  id: string;
  channel: string;
  trigger: ResyncTrigger;
  requested_by: string;
  requested_at: Date;
  status: Resync['status'];
  started_at: Date | null;
  finished_at: Date | null;
  attempts: number;
  listed: number | null;
  corrected: number | null;
  skus: number | null;
  last_error: string | null;
}

const toResync = (r: Row): Resync => ({
  id: r.id,
  channel: r.channel,
  trigger: r.trigger,
  requestedBy: r.requested_by,
  requestedAt: r.requested_at,
  status: r.status,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  attempts: r.attempts,
  listed: r.listed,
  corrected: r.corrected,
  skus: r.skus,
  lastError: r.last_error,
});

/**
 * Full resyncs of the channel (table `marketplace_resyncs`): asked for by the API, ops, the schedule or a lost
 * change feed, run by the leader. At most one waits per channel: asking while one waits answers that one.
 */
@Injectable()
export class Resyncs {
  constructor(private readonly db: Db) {}

  /** Asks for a resync; answers the one already waiting, if any. */
  async request(channel: string, trigger: ResyncTrigger, requestedBy: string): Promise<Resync> {
    for (;;) {
      const inserted = await this.db.query<Row>(
        `INSERT INTO marketplace_resyncs (id, channel, trigger, requested_by) VALUES ($1, $2, $3, $4)
         ON CONFLICT (channel) WHERE status = 'requested' DO NOTHING RETURNING *`,
        [randomUUID(), channel, trigger, requestedBy],
      );
      if (inserted.rows[0]) return toResync(inserted.rows[0]);
      const waiting = await this.db.query<Row>(
        `SELECT * FROM marketplace_resyncs WHERE channel = $1 AND status = 'requested'`,
        [channel],
      );
      // Taken up between the two statements: ask again.
      if (waiting.rows[0]) return toResync(waiting.rows[0]);
    }
  }

  /** Asks for a scheduled resync when none was asked for within `intervalSeconds`; true when it did. */
  async requestIfDue(channel: string, intervalSeconds: number): Promise<boolean> {
    const res = await this.db.query(
      `INSERT INTO marketplace_resyncs (id, channel, trigger, requested_by)
       SELECT $1, $2, 'schedule', 'schedule'
        WHERE NOT EXISTS (
          SELECT 1 FROM marketplace_resyncs
           WHERE channel = $2 AND requested_at > now() - make_interval(secs => $3)
        )
       ON CONFLICT (channel) WHERE status = 'requested' DO NOTHING`,
      [randomUUID(), channel, intervalSeconds],
    );
    return (res.rowCount ?? 0) > 0;
  }

  async get(id: string): Promise<Resync | null> {
    const res = await this.db.query<Row>(`SELECT * FROM marketplace_resyncs WHERE id = $1`, [id]);
    return res.rows[0] ? toResync(res.rows[0]) : null;
  }

  /** The next resync to run: one left running (by a leader that died, or after a failed try), else the waiting one. */
  async next(channel: string): Promise<Resync | null> {
    const res = await this.db.query<Row>(
      `SELECT * FROM marketplace_resyncs WHERE channel = $1 AND status IN ('running', 'requested')
        ORDER BY status = 'running' DESC, requested_at LIMIT 1`,
      [channel],
    );
    return res.rows[0] ? toResync(res.rows[0]) : null;
  }

  /** Marks it running (another try of it). */
  async start(id: string): Promise<void> {
    await this.db.query(
      `UPDATE marketplace_resyncs SET status = 'running', started_at = coalesce(started_at, now()),
         attempts = attempts + 1 WHERE id = $1`,
      [id],
    );
  }

  async failed(id: string, error: string): Promise<void> {
    await this.db.query(`UPDATE marketplace_resyncs SET last_error = $2 WHERE id = $1`, [
      id,
      error.slice(0, 2000),
    ]);
  }

  async finish(id: string, counts: { listed: number; corrected: number; skus: number }): Promise<void> {
    await this.db.query(
      `UPDATE marketplace_resyncs SET status = 'done', finished_at = now(), listed = $2, corrected = $3, skus = $4
        WHERE id = $1`,
      [id, counts.listed, counts.corrected, counts.skus],
    );
  }
}
