import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The inventory ledger: catalog, stock levels (a projection of the journal), the append-only journal,
 * reservations, idempotency records and API clients. Invariants live here as constraints, not only in code.
 */
export class InitialLedger1764000000000 implements MigrationInterface {
  name = 'InitialLedger1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE locations (
        code        text PRIMARY KEY CHECK (code ~ '^[A-Za-z0-9._-]{1,64}$'),
        name        text NOT NULL,
        type        text NOT NULL CHECK (type IN ('warehouse', 'store')),
        latitude    double precision CHECK (latitude BETWEEN -90 AND 90),
        longitude   double precision CHECK (longitude BETWEEN -180 AND 180),
        created_at  timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE skus (
        sku          text PRIMARY KEY CHECK (sku ~ '^[A-Za-z0-9._-]{1,64}$'),
        name         text NOT NULL,
        price_cents  bigint NOT NULL DEFAULT 0 CHECK (price_cents >= 0),
        created_at   timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE channels (
        code               text PRIMARY KEY CHECK (code ~ '^[a-z0-9-]{1,32}$'),
        name               text NOT NULL,
        buffer_percent     integer NOT NULL DEFAULT 0 CHECK (buffer_percent BETWEEN 0 AND 100),
        holdback           integer NOT NULL DEFAULT 0 CHECK (holdback >= 0),
        max_exposed        integer CHECK (max_exposed >= 0),
        staleness_seconds  integer CHECK (staleness_seconds > 0),
        stale_mode         text NOT NULL DEFAULT 'buffered' CHECK (stale_mode IN ('zero', 'buffered')),
        created_at         timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE channel_locations (
        channel   text NOT NULL REFERENCES channels(code) ON DELETE CASCADE,
        location  text NOT NULL REFERENCES locations(code),
        priority  integer NOT NULL DEFAULT 100,
        PRIMARY KEY (channel, location)
      );
      CREATE INDEX channel_locations_location_idx ON channel_locations (location);

      CREATE TABLE stock_levels (
        sku              text NOT NULL REFERENCES skus(sku),
        location         text NOT NULL REFERENCES locations(code),
        on_hand          bigint NOT NULL DEFAULT 0,
        reserved         bigint NOT NULL DEFAULT 0,
        allocated        bigint NOT NULL DEFAULT 0,
        damaged          bigint NOT NULL DEFAULT 0,
        quality_control  bigint NOT NULL DEFAULT 0,
        incoming         bigint NOT NULL DEFAULT 0,
        safety_stock     bigint NOT NULL DEFAULT 0,
        version          bigint NOT NULL DEFAULT 0,
        updated_at       timestamptz NOT NULL DEFAULT now(),
        synced_at        timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (sku, location),
        CONSTRAINT stock_levels_buckets_non_negative CHECK (
          on_hand >= 0 AND reserved >= 0 AND allocated >= 0 AND damaged >= 0
          AND quality_control >= 0 AND incoming >= 0 AND safety_stock >= 0),
        CONSTRAINT stock_levels_held_within_on_hand CHECK (
          reserved + allocated + damaged + quality_control <= on_hand)
      );
      CREATE INDEX stock_levels_updated_at_idx ON stock_levels (updated_at);

      CREATE TABLE stock_movements (
        id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        movement_type       text NOT NULL,
        sku                 text NOT NULL,
        location            text NOT NULL,
        d_on_hand           bigint NOT NULL DEFAULT 0,
        d_reserved          bigint NOT NULL DEFAULT 0,
        d_allocated         bigint NOT NULL DEFAULT 0,
        d_damaged           bigint NOT NULL DEFAULT 0,
        d_quality_control   bigint NOT NULL DEFAULT 0,
        d_incoming          bigint NOT NULL DEFAULT 0,
        d_safety_stock      bigint NOT NULL DEFAULT 0,
        level_version       bigint NOT NULL,
        source_system       text NOT NULL,
        source_event_id     text,
        reservation_id      uuid,
        reason              text,
        correlation_id      text,
        occurred_at         timestamptz NOT NULL,
        recorded_at         timestamptz NOT NULL DEFAULT clock_timestamp(),
        FOREIGN KEY (sku, location) REFERENCES stock_levels (sku, location)
      );
      CREATE UNIQUE INDEX stock_movements_source_event_uq
        ON stock_movements (source_system, source_event_id) WHERE source_event_id IS NOT NULL;
      CREATE INDEX stock_movements_level_idx ON stock_movements (sku, location, id);
      CREATE INDEX stock_movements_reservation_idx ON stock_movements (reservation_id) WHERE reservation_id IS NOT NULL;

      -- The journal is append-only: no statement may change or remove a movement.
      CREATE FUNCTION stock_movements_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'stock_movements is append-only' USING ERRCODE = 'restrict_violation';
      END $$;
      CREATE TRIGGER stock_movements_no_update BEFORE UPDATE OR DELETE ON stock_movements
        FOR EACH ROW EXECUTE FUNCTION stock_movements_append_only();

      CREATE TABLE reservations (
        id            uuid PRIMARY KEY,
        channel       text NOT NULL REFERENCES channels(code),
        status        text NOT NULL CHECK (status IN ('active', 'confirmed', 'released', 'expired')),
        reference     text,
        expires_at    timestamptz NOT NULL,
        created_at    timestamptz NOT NULL DEFAULT now(),
        updated_at    timestamptz NOT NULL DEFAULT now(),
        ended_at      timestamptz,
        correlation_id text
      );
      CREATE INDEX reservations_due_idx ON reservations (expires_at) WHERE status = 'active';

      CREATE TABLE reservation_lines (
        reservation_id  uuid NOT NULL REFERENCES reservations(id) ON DELETE CASCADE,
        line_no         integer NOT NULL,
        sku             text NOT NULL,
        location        text NOT NULL,
        quantity        integer NOT NULL CHECK (quantity > 0),
        PRIMARY KEY (reservation_id, line_no)
      );

      CREATE TABLE idempotency_records (
        principal        text NOT NULL,
        idempotency_key  text NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 255),
        fingerprint      text NOT NULL,
        response_status  integer NOT NULL,
        response_body    text NOT NULL,
        resource_id      uuid,
        created_at       timestamptz NOT NULL DEFAULT now(),
        expires_at       timestamptz NOT NULL,
        PRIMARY KEY (principal, idempotency_key)
      );
      CREATE INDEX idempotency_records_expires_idx ON idempotency_records (expires_at);

      CREATE TABLE api_clients (
        id          uuid PRIMARY KEY,
        name        text NOT NULL,
        channel     text NOT NULL REFERENCES channels(code),
        scopes      text[] NOT NULL,
        key_prefix  text NOT NULL,
        key_hash    text NOT NULL UNIQUE,
        created_at  timestamptz NOT NULL DEFAULT now(),
        revoked_at  timestamptz
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE api_clients, idempotency_records, reservation_lines, reservations, stock_movements,
        stock_levels, channel_locations, channels, skus, locations;
      DROP FUNCTION stock_movements_append_only();
    `);
  }
}
