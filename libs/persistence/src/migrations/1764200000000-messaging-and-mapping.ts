import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The messaging tables of docs/messaging.md (outbox, inbox, dead letters, the operators' audit log) and the
 * cross-references system APIs translate with (libs/mapping).
 */
export class MessagingAndMapping1764200000000 implements MigrationInterface {
  name = 'MessagingAndMapping1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      -- Events written in the same transaction as the change they announce; the relay publishes them.
      CREATE TABLE outbox_events (
        id              uuid PRIMARY KEY,
        event_type      text NOT NULL,
        envelope        jsonb NOT NULL,
        created_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
        published_at    timestamptz,
        publish_attempts integer NOT NULL DEFAULT 0,
        last_error      text
      );
      CREATE INDEX outbox_events_pending_idx ON outbox_events (created_at) WHERE published_at IS NULL;
      CREATE INDEX outbox_events_published_idx ON outbox_events (published_at) WHERE published_at IS NOT NULL;

      CREATE FUNCTION outbox_events_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('sb_outbox', '');
        RETURN NULL;
      END $$;
      CREATE TRIGGER outbox_events_inserted AFTER INSERT ON outbox_events
        FOR EACH STATEMENT EXECUTE FUNCTION outbox_events_notify();

      -- Idempotent consumers: an event id is recorded in the same transaction as its effect.
      CREATE TABLE inbox_events (
        consumer      text NOT NULL,
        event_id      text NOT NULL,
        event_type    text NOT NULL,
        processed_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (consumer, event_id)
      );
      CREATE INDEX inbox_events_processed_idx ON inbox_events (processed_at);

      -- Each queue's dead letters: jobs that exhausted their attempts or cannot be processed.
      CREATE TABLE dead_letters (
        id              uuid PRIMARY KEY,
        queue           text NOT NULL,
        job_id          text NOT NULL,
        job_name        text NOT NULL,
        event_id        text,
        event_type      text,
        correlation_id  text,
        payload         jsonb NOT NULL,
        error_kind      text NOT NULL,
        reason          text NOT NULL,
        errors          jsonb NOT NULL,
        attempts_made   integer NOT NULL,
        status          text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'replayed', 'discarded')),
        failed_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
        resolved_at     timestamptz,
        resolved_by     text,
        replay_job_id   text,
        UNIQUE (queue, job_id)
      );
      CREATE INDEX dead_letters_open_idx ON dead_letters (queue, failed_at) WHERE status = 'open';

      -- What operators did, and who.
      CREATE TABLE audit_log (
        id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        actor       text NOT NULL,
        action      text NOT NULL,
        target_type text NOT NULL,
        target_id   text,
        details     jsonb NOT NULL DEFAULT '{}'::jsonb,
        at          timestamptz NOT NULL DEFAULT clock_timestamp()
      );
      CREATE INDEX audit_log_target_idx ON audit_log (target_type, target_id);

      -- Cross-references between a backend's codes and ours (libs/mapping).
      CREATE TABLE sku_xrefs (
        system        text NOT NULL CHECK (system ~ '^[a-z0-9-]{1,32}$'),
        external_code text NOT NULL CHECK (length(external_code) BETWEEN 1 AND 128),
        sku           text NOT NULL,
        updated_at    timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (system, external_code),
        UNIQUE (system, sku)
      );
      CREATE TABLE location_xrefs (
        system        text NOT NULL CHECK (system ~ '^[a-z0-9-]{1,32}$'),
        external_code text NOT NULL CHECK (length(external_code) BETWEEN 1 AND 128),
        location      text NOT NULL,
        updated_at    timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (system, external_code),
        UNIQUE (system, location)
      );
      -- How many eaches one backend unit is; sku '*' is the backend's default for that unit.
      CREATE TABLE uom_conversions (
        system        text NOT NULL CHECK (system ~ '^[a-z0-9-]{1,32}$'),
        uom           text NOT NULL CHECK (uom ~ '^[A-Za-z0-9_-]{1,16}$'),
        sku           text NOT NULL DEFAULT '*',
        factor        integer NOT NULL CHECK (factor BETWEEN 1 AND 1000000),
        updated_at    timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (system, uom, sku)
      );
      -- A bundle SKU sold as a set of component SKUs.
      CREATE TABLE bundle_components (
        bundle_sku    text NOT NULL,
        component_sku text NOT NULL,
        quantity      integer NOT NULL CHECK (quantity BETWEEN 1 AND 100000),
        PRIMARY KEY (bundle_sku, component_sku),
        CHECK (bundle_sku <> component_sku)
      );

      -- Every process that caches mappings drops its cache when they change.
      CREATE FUNCTION mapping_changed_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('sb_mapping', TG_TABLE_NAME);
        RETURN NULL;
      END $$;
      CREATE TRIGGER sku_xrefs_changed AFTER INSERT OR UPDATE OR DELETE ON sku_xrefs
        FOR EACH STATEMENT EXECUTE FUNCTION mapping_changed_notify();
      CREATE TRIGGER location_xrefs_changed AFTER INSERT OR UPDATE OR DELETE ON location_xrefs
        FOR EACH STATEMENT EXECUTE FUNCTION mapping_changed_notify();
      CREATE TRIGGER uom_conversions_changed AFTER INSERT OR UPDATE OR DELETE ON uom_conversions
        FOR EACH STATEMENT EXECUTE FUNCTION mapping_changed_notify();
      CREATE TRIGGER bundle_components_changed AFTER INSERT OR UPDATE OR DELETE ON bundle_components
        FOR EACH STATEMENT EXECUTE FUNCTION mapping_changed_notify();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE bundle_components, uom_conversions, location_xrefs, sku_xrefs, audit_log, dead_letters,
        inbox_events, outbox_events;
      DROP FUNCTION outbox_events_notify(), mapping_changed_notify();
    `);
  }
}
