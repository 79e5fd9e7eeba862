import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * API keys bound to a store: `api_clients.store` names the store location a key acts for (experience-pos), null
 * for a key of no store (every storefront key). That the location is a store of the key's channel is checked when
 * the key is issued (ApiKeys.create); a location is never deleted, so the reference stays valid.
 */
export class StoreBoundApiKeys1764720000000 implements MigrationInterface {
  name = 'StoreBoundApiKeys1764720000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE api_clients ADD COLUMN store text REFERENCES locations(code)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE api_clients DROP COLUMN store`);
  }
}
