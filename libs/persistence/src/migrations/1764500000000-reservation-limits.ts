import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Hoarding limits per channel (issue 8): a maximum reservation lifetime and a maximum of units one API client
 * may hold at once; and who holds each reservation, so that the second can be counted.
 */
export class ReservationLimits1764500000000 implements MigrationInterface {
  name = 'ReservationLimits1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      -- A reservation's expiry is never later than its creation + max_ttl_seconds (creation and extension).
      ALTER TABLE channels ADD COLUMN max_ttl_seconds integer NOT NULL DEFAULT 3600
        CHECK (max_ttl_seconds BETWEEN 1 AND 604800),
      -- Units one API client may hold across its active reservations of the channel (null: no limit).
        ADD COLUMN max_held_units_per_client integer CHECK (max_held_units_per_client >= 0);
      -- Who holds the reservation: the idempotency principal of the creating request (client:<api client id>);
      -- null for internal callers, whom no per-client limit applies to.
      ALTER TABLE reservations ADD COLUMN holder text;
      -- Counting a client's held units reads only its active reservations.
      CREATE INDEX reservations_holder_idx ON reservations (channel, holder)
        WHERE status = 'active' AND holder IS NOT NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX reservations_holder_idx;
      ALTER TABLE reservations DROP COLUMN holder;
      ALTER TABLE channels DROP COLUMN max_held_units_per_client, DROP COLUMN max_ttl_seconds;
    `);
  }
}
