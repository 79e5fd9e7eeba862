import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Orders and their lifecycle, fulfilment orders per location, returns (RMAs) and financial postings
 * (docs/workflows.md, issue 4). Stock itself still changes only through stock_levels and the journal.
 */
export class OrdersAndReturns1764400000000 implements MigrationInterface {
  name = 'OrdersAndReturns1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      -- A store's ship-from-store capacity: fulfilment orders it takes per day (null: no limit).
      ALTER TABLE locations ADD COLUMN daily_ship_capacity integer CHECK (daily_ship_capacity >= 0);
      -- What one unit costs us (cost of goods sold on shipment).
      ALTER TABLE skus ADD COLUMN cost_cents bigint NOT NULL DEFAULT 0 CHECK (cost_cents >= 0);
      -- Whether a channel's sales are booked in the ERP per shipment or as one summary per day.
      ALTER TABLE channels ADD COLUMN posting_mode text NOT NULL DEFAULT 'per-event'
        CHECK (posting_mode IN ('per-event', 'daily-summary'));
      -- Where a checkout ships to, when it said (sourcing prefers the nearest location).
      ALTER TABLE reservations ADD COLUMN ship_to_latitude double precision CHECK (ship_to_latitude BETWEEN -90 AND 90),
        ADD COLUMN ship_to_longitude double precision CHECK (ship_to_longitude BETWEEN -180 AND 180);

      -- An order: placed by confirming a reservation (same id).
      CREATE TABLE orders (
        id                uuid PRIMARY KEY,
        channel           text NOT NULL REFERENCES channels(code),
        reference         text,
        state             text NOT NULL CHECK (state IN ('pending_validation', 'reserved', 'allocated', 'released',
                            'partially_shipped', 'shipped', 'delivered', 'cancelled', 'returned', 'settled')),
        ship_to_latitude  double precision,
        ship_to_longitude double precision,
        correlation_id    text,
        created_at        timestamptz NOT NULL DEFAULT clock_timestamp(),
        updated_at        timestamptz NOT NULL DEFAULT clock_timestamp()
      );
      CREATE INDEX orders_channel_idx ON orders (channel, created_at);

      CREATE TABLE order_lines (
        order_id          uuid NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
        sku               text NOT NULL REFERENCES skus(sku),
        quantity          integer NOT NULL CHECK (quantity > 0),
        unit_price_cents  bigint NOT NULL CHECK (unit_price_cents >= 0),
        unit_cost_cents   bigint NOT NULL CHECK (unit_cost_cents >= 0),
        -- Units that will not ship: cancelled, or short with nowhere else to source them.
        cancelled         integer NOT NULL DEFAULT 0 CHECK (cancelled >= 0),
        PRIMARY KEY (order_id, sku),
        CHECK (cancelled <= quantity)
      );

      -- Every state change of an order, with what caused it (append-only in practice).
      CREATE TABLE order_transitions (
        id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        order_id       uuid NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
        from_state     text,
        to_state       text NOT NULL,
        cause          text NOT NULL,
        source         text NOT NULL,
        native_status  text,
        at             timestamptz NOT NULL DEFAULT clock_timestamp()
      );
      CREATE INDEX order_transitions_order_idx ON order_transitions (order_id, id);

      -- A backend's or channel's own order statuses and the canonical state each means.
      CREATE TABLE order_status_mappings (
        source         text NOT NULL,
        native_status  text NOT NULL,
        state          text NOT NULL CHECK (state IN ('pending_validation', 'reserved', 'allocated', 'released',
                         'partially_shipped', 'shipped', 'delivered', 'cancelled', 'returned', 'settled')),
        PRIMARY KEY (source, native_status)
      );
      INSERT INTO order_status_mappings (source, native_status, state) VALUES
        ('oms', 'NEW', 'pending_validation'), ('oms', 'IN_PROGRESS', 'allocated'),
        ('oms', 'PARTIALLY_SHIPPED', 'partially_shipped'), ('oms', 'SHIPPED', 'shipped'),
        ('oms', 'DELIVERED', 'delivered'), ('oms', 'CANCELLED', 'cancelled'), ('oms', 'RETURNED', 'returned'),
        ('web', 'processing', 'allocated'), ('web', 'shipped', 'shipped'), ('web', 'delivered', 'delivered'),
        ('web', 'canceled', 'cancelled'), ('web', 'refunded', 'returned');

      -- Units of an order sent to one location; the WMS knows it by its id.
      CREATE TABLE fulfilment_orders (
        id           uuid PRIMARY KEY,
        order_id     uuid NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
        location     text NOT NULL REFERENCES locations(code),
        status       text NOT NULL CHECK (status IN ('allocated', 'released', 'partially_shipped', 'shipped',
                       'cancel_requested', 'cancelled', 'short_closed')),
        -- 1 for the first sourcing, 2… for re-sourcing after a short pick.
        attempt      integer NOT NULL DEFAULT 1,
        created_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
        updated_at   timestamptz NOT NULL DEFAULT clock_timestamp()
      );
      CREATE INDEX fulfilment_orders_order_idx ON fulfilment_orders (order_id);
      CREATE INDEX fulfilment_orders_capacity_idx ON fulfilment_orders (location, created_at);

      -- Per SKU: allocated = quantity − shipped − short_picked − cancelled units are still held for it.
      CREATE TABLE fulfilment_lines (
        fulfilment_order_id uuid NOT NULL REFERENCES fulfilment_orders(id) ON DELETE CASCADE,
        sku           text NOT NULL,
        quantity      integer NOT NULL CHECK (quantity > 0),
        shipped       integer NOT NULL DEFAULT 0 CHECK (shipped >= 0),
        short_picked  integer NOT NULL DEFAULT 0 CHECK (short_picked >= 0),
        cancelled     integer NOT NULL DEFAULT 0 CHECK (cancelled >= 0),
        PRIMARY KEY (fulfilment_order_id, sku),
        CHECK (shipped + short_picked + cancelled <= quantity)
      );

      -- Backend reports applied to fulfilment orders, once per (source, id).
      CREATE TABLE fulfilment_reports (
        source_event_id     text PRIMARY KEY,
        fulfilment_order_id uuid NOT NULL,
        kind                text NOT NULL,
        applied_at          timestamptz NOT NULL DEFAULT clock_timestamp()
      );

      -- Returns (RMAs): opened from a channel or the OMS, received into quality control, graded.
      CREATE TABLE rmas (
        id            uuid PRIMARY KEY,
        order_id      uuid NOT NULL REFERENCES orders(id),
        source        text NOT NULL,
        external_ref  text,
        reason        text NOT NULL,
        status        text NOT NULL CHECK (status IN ('open', 'received', 'graded', 'cancelled')),
        location      text REFERENCES locations(code),
        created_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
        updated_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
        UNIQUE (source, external_ref)
      );
      CREATE INDEX rmas_order_idx ON rmas (order_id);

      CREATE TABLE rma_lines (
        rma_id     uuid NOT NULL REFERENCES rmas(id) ON DELETE CASCADE,
        sku        text NOT NULL,
        quantity   integer NOT NULL CHECK (quantity > 0),
        received   integer NOT NULL DEFAULT 0 CHECK (received >= 0),
        resell     integer NOT NULL DEFAULT 0 CHECK (resell >= 0),
        damaged    integer NOT NULL DEFAULT 0 CHECK (damaged >= 0),
        destroyed  integer NOT NULL DEFAULT 0 CHECK (destroyed >= 0),
        PRIMARY KEY (rma_id, sku),
        CHECK (received <= quantity),
        CHECK (resell + damaged + destroyed <= received)
      );

      -- The ERP's reason code for each of the platform's posting reasons.
      CREATE TABLE posting_reason_codes (
        reason    text PRIMARY KEY,
        erp_code  text NOT NULL
      );
      INSERT INTO posting_reason_codes (reason, erp_code) VALUES
        ('return-refund', 'RFND'), ('return-resell', 'RTN-RESTOCK'), ('return-damaged', 'RTN-DMG'),
        ('return-destroy', 'RTN-SCRAP');

      -- Accounting entries asked of the ERP; the key makes each happen once (never an operational movement).
      CREATE TABLE financial_postings (
        posting_key    text PRIMARY KEY CHECK (length(posting_key) BETWEEN 1 AND 200),
        kind           text NOT NULL CHECK (kind IN ('revenue', 'cost-of-goods', 'refund', 'inventory-adjustment')),
        channel        text NOT NULL,
        order_id       uuid,
        rma_id         uuid,
        amount_cents   bigint NOT NULL CHECK (amount_cents >= 0),
        currency       text NOT NULL DEFAULT 'USD',
        reason_code    text,
        business_date  date NOT NULL,
        lines          jsonb NOT NULL DEFAULT '[]'::jsonb,
        -- pending: waiting for the day's summary; requested: sent to the ERP; posted: the ERP acknowledged.
        status         text NOT NULL CHECK (status IN ('pending', 'requested', 'posted')),
        summary_key    text,
        erp_reference  text,
        created_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
        posted_at      timestamptz
      );
      CREATE INDEX financial_postings_order_idx ON financial_postings (order_id) WHERE order_id IS NOT NULL;
      CREATE INDEX financial_postings_pending_idx ON financial_postings (channel, business_date) WHERE status = 'pending';
      CREATE INDEX financial_postings_summary_idx ON financial_postings (summary_key) WHERE summary_key IS NOT NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE financial_postings, posting_reason_codes, rma_lines, rmas, fulfilment_reports, fulfilment_lines,
        fulfilment_orders, order_status_mappings, order_transitions, order_lines, orders;
      ALTER TABLE reservations DROP COLUMN ship_to_latitude, DROP COLUMN ship_to_longitude;
      ALTER TABLE channels DROP COLUMN posting_mode;
      ALTER TABLE skus DROP COLUMN cost_cents;
      ALTER TABLE locations DROP COLUMN daily_ship_capacity;
    `);
  }
}
