/**
 * The backends' own tables, one schema each, in the database of DATABASE_URL. Idempotent: every start runs
 * it under an advisory lock, so two instances starting together do not race on the catalog.
 */
export const SANDBOX_SCHEMA_LOCK = 'stockbridge.sandbox.schema';

export const SANDBOX_DDL = `
CREATE SCHEMA IF NOT EXISTS sandbox_erp;
CREATE TABLE IF NOT EXISTS sandbox_erp.items (
  item_no text PRIMARY KEY,
  description text NOT NULL DEFAULT '',
  case_qty int NOT NULL DEFAULT 12 CHECK (case_qty > 0)
);
CREATE TABLE IF NOT EXISTS sandbox_erp.sites (
  site_code text PRIMARY KEY,
  name text NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS sandbox_erp.on_hand (
  item_no text NOT NULL REFERENCES sandbox_erp.items (item_no),
  site_code text NOT NULL REFERENCES sandbox_erp.sites (site_code),
  qty_each bigint NOT NULL,
  PRIMARY KEY (item_no, site_code)
);
CREATE TABLE IF NOT EXISTS sandbox_erp.commitments (
  id bigserial PRIMARY KEY,
  external_ref text NOT NULL UNIQUE,
  lines jsonb NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS sandbox_erp.journal_entries (
  id bigserial PRIMARY KEY,
  posting_key text NOT NULL UNIQUE,
  entry_type text NOT NULL CHECK (entry_type IN ('REVENUE', 'COGS', 'REFUND', 'INV_ADJ')),
  amount numeric(15, 2) NOT NULL CHECK (amount >= 0),
  currency text NOT NULL,
  reference text NOT NULL,
  reason_code text,
  business_date date NOT NULL,
  lines jsonb NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS journal_entries_reference ON sandbox_erp.journal_entries (reference);
CREATE TABLE IF NOT EXISTS sandbox_erp.calls (
  id bigserial PRIMARY KEY,
  kind text NOT NULL,
  external_ref text,
  status int NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);

CREATE SCHEMA IF NOT EXISTS sandbox_wms;
CREATE TABLE IF NOT EXISTS sandbox_wms.inventory (
  item_code text NOT NULL,
  warehouse text NOT NULL,
  qty_each bigint NOT NULL CHECK (qty_each >= 0),
  PRIMARY KEY (item_code, warehouse)
);
CREATE TABLE IF NOT EXISTS sandbox_wms.events (
  seq bigserial PRIMARY KEY,
  event_id uuid NOT NULL UNIQUE,
  event_type text NOT NULL,
  body jsonb NOT NULL,
  raw text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  delivered_at timestamptz,
  attempts int NOT NULL DEFAULT 0,
  last_error text,
  next_attempt_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS events_undelivered ON sandbox_wms.events (seq) WHERE delivered_at IS NULL;
CREATE TABLE IF NOT EXISTS sandbox_wms.deliveries (
  id bigserial PRIMARY KEY,
  event_id uuid NOT NULL,
  status int,
  error text,
  redelivery boolean NOT NULL DEFAULT false,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS deliveries_event ON sandbox_wms.deliveries (event_id);
-- Cancelling an outbound order asks whether anything shipped under its reference.
CREATE INDEX IF NOT EXISTS events_shipment_order_ref ON sandbox_wms.events ((body->>'orderRef'))
  WHERE event_type = 'SHIPMENT';
CREATE TABLE IF NOT EXISTS sandbox_wms.outbound_orders (
  order_ref text PRIMARY KEY,
  warehouse text NOT NULL,
  status text NOT NULL CHECK (status IN ('RELEASED', 'PART_SHIPPED', 'SHIPPED', 'CANCELLED')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS sandbox_wms.outbound_lines (
  order_ref text NOT NULL REFERENCES sandbox_wms.outbound_orders (order_ref),
  line_no int NOT NULL,
  item_code text NOT NULL,
  qty int NOT NULL CHECK (qty > 0),
  uom text NOT NULL,
  qty_each bigint NOT NULL CHECK (qty_each > 0),
  shipped_each bigint NOT NULL DEFAULT 0 CHECK (shipped_each >= 0),
  short_each bigint NOT NULL DEFAULT 0 CHECK (short_each >= 0),
  PRIMARY KEY (order_ref, line_no)
);
CREATE TABLE IF NOT EXISTS sandbox_wms.subscription (
  id int PRIMARY KEY CHECK (id = 1),
  url text NOT NULL,
  secret text NOT NULL
);

CREATE SCHEMA IF NOT EXISTS sandbox_oms;
CREATE SEQUENCE IF NOT EXISTS sandbox_oms.order_number;
CREATE TABLE IF NOT EXISTS sandbox_oms.orders (
  order_id text PRIMARY KEY,
  order_ref text NOT NULL UNIQUE,
  channel text NOT NULL,
  status text NOT NULL,
  lines jsonb NOT NULL,
  ship_to jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS sandbox_oms.calls (
  id bigserial PRIMARY KEY,
  kind text NOT NULL,
  order_ref text,
  order_id text,
  status int NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);

CREATE SCHEMA IF NOT EXISTS sandbox_marketplace;
-- The marketplace's first API (a quantity per seller SKU) kept these; its eBay-shaped API replaced them.
DROP TABLE IF EXISTS sandbox_marketplace.updates, sandbox_marketplace.listings;
-- eBay's inventory items: a seller SKU (at most 50 characters) and its total ship-to-home quantity.
CREATE TABLE IF NOT EXISTS sandbox_marketplace.inventory_items (
  sku text PRIMARY KEY CHECK (length(sku) BETWEEN 1 AND 50),
  title text,
  price numeric(12, 2) NOT NULL DEFAULT 10 CHECK (price >= 0),
  currency text NOT NULL DEFAULT 'USD',
  quantity int NOT NULL CHECK (quantity >= 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
-- Every bulk_update_price_quantity call that passed validation, and every per-SKU update it applied.
CREATE TABLE IF NOT EXISTS sandbox_marketplace.bulk_calls (
  id bigserial PRIMARY KEY,
  requested int NOT NULL,
  applied int NOT NULL,
  status int NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS sandbox_marketplace.quantity_updates (
  id bigserial PRIMARY KEY,
  call_id bigint NOT NULL REFERENCES sandbox_marketplace.bulk_calls (id),
  sku text NOT NULL,
  quantity int NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS quantity_updates_sku ON sandbox_marketplace.quantity_updates (sku, id);
-- Orders as eBay's Fulfillment API shows them; dates to the millisecond, as the API writes them.
CREATE SEQUENCE IF NOT EXISTS sandbox_marketplace.order_number;
CREATE SEQUENCE IF NOT EXISTS sandbox_marketplace.line_item_number;
CREATE TABLE IF NOT EXISTS sandbox_marketplace.orders (
  order_id text PRIMARY KEY,
  buyer_username text NOT NULL,
  ship_to jsonb NOT NULL,
  currency text NOT NULL,
  fulfillment_status text NOT NULL DEFAULT 'NOT_STARTED'
    CHECK (fulfillment_status IN ('NOT_STARTED', 'IN_PROGRESS', 'FULFILLED')),
  cancel_state text NOT NULL DEFAULT 'NONE_REQUESTED'
    CHECK (cancel_state IN ('NONE_REQUESTED', 'IN_PROGRESS', 'CANCELED')),
  cancelled_date timestamptz,
  creation_date timestamptz NOT NULL,
  last_modified_date timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS orders_modified ON sandbox_marketplace.orders (last_modified_date, order_id);
CREATE INDEX IF NOT EXISTS orders_created ON sandbox_marketplace.orders (creation_date, order_id);
CREATE TABLE IF NOT EXISTS sandbox_marketplace.line_items (
  line_item_id text PRIMARY KEY,
  order_id text NOT NULL REFERENCES sandbox_marketplace.orders (order_id),
  line_no int NOT NULL,
  sku text NOT NULL,
  title text NOT NULL,
  quantity int NOT NULL CHECK (quantity > 0),
  unit_price numeric(12, 2) NOT NULL CHECK (unit_price >= 0),
  UNIQUE (order_id, line_no)
);
-- Cancellation requests (eBay's Post-Order API): the buyer's, or the seller's own (completed at once).
CREATE SEQUENCE IF NOT EXISTS sandbox_marketplace.cancel_number;
CREATE TABLE IF NOT EXISTS sandbox_marketplace.cancellations (
  cancel_id text PRIMARY KEY,
  order_id text NOT NULL REFERENCES sandbox_marketplace.orders (order_id),
  initiator text NOT NULL CHECK (initiator IN ('BUYER', 'SELLER')),
  reason text NOT NULL,
  state text NOT NULL CHECK (state IN ('REQUESTED', 'COMPLETED', 'REJECTED')),
  requested_date timestamptz NOT NULL,
  completed_date timestamptz
);
CREATE INDEX IF NOT EXISTS cancellations_order ON sandbox_marketplace.cancellations (order_id);
`;
