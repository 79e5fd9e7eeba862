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
CREATE TABLE IF NOT EXISTS sandbox_marketplace.listings (
  seller_sku text PRIMARY KEY,
  quantity int NOT NULL CHECK (quantity >= 0),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS sandbox_marketplace.updates (
  id bigserial PRIMARY KEY,
  seller_sku text NOT NULL,
  quantity int NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);
`;
