import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The marketplace channel's outbound quantities (apps/experience-marketplace, docs/channels/marketplace.md).
 *
 * `marketplace_listings`: one row per (channel, SKU), the durable coalescing of changes. A change marks the SKU
 * `pending` and bumps `generation`; the pusher sends the SKU's current figure and clears `pending` only if the
 * generation it read is still the row's, so that however many changes arrive while a push is in flight, only
 * the latest figure is ever sent. `sent_quantity` is what the marketplace holds as far as the platform knows,
 * `stale_at` when the figure sent turns stale (the conservative figure then goes out). `refusal` says the
 * marketplace refused the last figure (dead-lettered): `unlisted`, it does not list the SKU (nothing is sent
 * until the letter is replayed or a resync finds the listing), or `refused`, it refused `refused_quantity`
 * (that figure is not sent again; another one is).
 * `next_attempt_at` and `attempts` keep a SKU whose pushes failed out of the way of the others.
 *
 * `marketplace_resyncs`: full resyncs asked for (ops, the app's API, the schedule, a lost change feed) and
 * their outcome; at most one waits per channel, so asking twice before it starts asks once.
 */
export class MarketplaceListings1764730000000 implements MigrationInterface {
  name = 'MarketplaceListings1764730000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE marketplace_listings (
        channel text NOT NULL,
        sku text NOT NULL,
        pending boolean NOT NULL DEFAULT true,
        generation bigint NOT NULL DEFAULT 1 CHECK (generation > 0),
        pending_since timestamptz,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        attempts int NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        last_error text,
        sent_quantity int CHECK (sent_quantity >= 0),
        sent_at timestamptz,
        stale_at timestamptz,
        refused_quantity int,
        refusal text CHECK (refusal IN ('unlisted', 'refused')),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (channel, sku),
        CHECK (pending = (pending_since IS NOT NULL))
      );
      CREATE INDEX marketplace_listings_due_idx ON marketplace_listings (channel, next_attempt_at, sku) WHERE pending;
      CREATE INDEX marketplace_listings_stale_idx ON marketplace_listings (channel, stale_at)
        WHERE stale_at IS NOT NULL AND NOT pending;

      CREATE TABLE marketplace_resyncs (
        id uuid PRIMARY KEY,
        channel text NOT NULL,
        trigger text NOT NULL CHECK (trigger IN ('api', 'ops', 'schedule', 'feed-lost', 'first-start')),
        requested_by text NOT NULL,
        requested_at timestamptz NOT NULL DEFAULT now(),
        status text NOT NULL DEFAULT 'requested' CHECK (status IN ('requested', 'running', 'done')),
        started_at timestamptz,
        finished_at timestamptz,
        attempts int NOT NULL DEFAULT 0,
        listed int,
        corrected int,
        skus int,
        last_error text
      );
      CREATE UNIQUE INDEX marketplace_resyncs_waiting_idx ON marketplace_resyncs (channel) WHERE status = 'requested';
      CREATE INDEX marketplace_resyncs_requested_idx ON marketplace_resyncs (channel, requested_at DESC, id DESC);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE marketplace_resyncs;
      DROP TABLE marketplace_listings;
    `);
  }
}
