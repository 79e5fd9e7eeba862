// A partner's typed client (partner-storefront.client.ts: openapi-typescript types of the published document,
// openapi-fetch calls) runs a whole storefront flow against the running platform. The committed types must be
// what the committed document generates, so the client is type-checked against the contract as published.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { STOREFRONT_TYPES } from '../../scripts/lib/storefront-types';
import { TestPlatform } from '../support/platform';
import { PartnerStorefrontClient } from './partner-storefront.client';

const ROOT = join(__dirname, '..', '..');

describe("a partner's typed storefront client", () => {
  let platform: TestPlatform;
  let client: PartnerStorefrontClient;

  beforeAll(async () => {
    platform = await TestPlatform.start('contract-client');
    await platform.seed({
      locations: [{ code: 'WH-1' }, { code: 'STORE-1', type: 'store' }],
      skus: ['A', 'B'],
      channels: [{ code: 'web', pool: ['WH-1', 'STORE-1'] }],
      stock: [
        { sku: 'A', location: 'WH-1', onHand: 10 },
        { sku: 'B', location: 'WH-1', onHand: 2 },
      ],
    });
    client = new PartnerStorefrontClient(platform.storefront.url, await platform.apiKey('web'));
  }, 60_000);

  afterAll(async () => {
    await platform?.stop();
  });

  it('is built on the types the committed storefront document generates', async () => {
    const committed = readFileSync(join(ROOT, STOREFRONT_TYPES), 'utf8');
    // Regenerate with `npm run openapi` when this fails: the document changed and the partner types with it.
    // openapi-typescript is an ES module with ES-module dependencies: it runs in a Node process of its own.
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [join(ROOT, 'scripts', 'lib', 'storefront-types.js')],
      { maxBuffer: 16 * 1024 * 1024 },
    );
    expect(stdout).toBe(committed);
  });

  it('reads availability, holds and replays, extends, changes lines, confirms, releases another and reads the order', async () => {
    const before = await client.availability(['A', 'B', 'ZZ']);
    expect(before.items.map((i) => [i.sku, i.known, i.available])).toEqual([
      ['A', true, 10],
      ['B', true, 2],
      ['ZZ', false, 0],
    ]);

    const key = randomUUID();
    const first = await client.hold(key, [{ sku: 'A', quantity: 3 }], {
      reference: 'cart-1',
      ttlSeconds: 600,
    });
    if (!first.held || !('reservation' in first)) throw new Error(`not held: ${JSON.stringify(first)}`);
    expect(first.replayed).toBe(false);
    expect(first.reservation).toMatchObject({
      status: 'active',
      reference: 'cart-1',
      lines: [{ sku: 'A', quantity: 3, location: 'WH-1' }],
      shipTo: null,
    });

    const replay = await client.hold(key, [{ sku: 'A', quantity: 3 }], {
      reference: 'cart-1',
      ttlSeconds: 600,
    });
    expect(replay).toEqual({ ...first, replayed: true });

    const id = first.reservation.id;
    expect(await client.reservation(id)).toEqual(first.reservation);

    const extended = await client.extend(id, 1200);
    if (!('reservation' in extended)) throw new Error(`not extended: ${JSON.stringify(extended)}`);
    expect(Date.parse(extended.reservation.expiresAt)).toBeGreaterThan(
      Date.parse(first.reservation.expiresAt),
    );
    const tooLong = await client.extend(id, 604800);
    expect(tooLong).toMatchObject({ maxTtlSeconds: 3600 });

    const changeKey = randomUUID();
    const changed = await client.changeLines(id, changeKey, [{ sku: 'A', quantity: 4 }]);
    if (!changed.held || !('reservation' in changed))
      throw new Error(`not changed: ${JSON.stringify(changed)}`);
    expect(changed.reservation.lines).toEqual([{ sku: 'A', quantity: 4, location: 'WH-1' }]);
    expect(await client.changeLines(id, changeKey, [{ sku: 'A', quantity: 4 }])).toEqual({
      ...changed,
      replayed: true,
    });
    expect(await client.changeLines(id, randomUUID(), [{ sku: 'B', quantity: 9 }])).toEqual({
      held: false,
      shortages: [{ sku: 'B', requested: 9, available: 2 }],
    });

    expect((await client.confirm(id)).status).toBe('confirmed');

    const other = await client.hold(randomUUID(), [{ sku: 'B', quantity: 1 }]);
    if (!other.held || !('reservation' in other)) throw new Error(`not held: ${JSON.stringify(other)}`);
    expect((await client.release(other.reservation.id)).status).toBe('released');

    await platform.syncReadModel();
    const after = await client.availability(['A', 'B']);
    expect(after.items.map((i) => [i.sku, i.available])).toEqual([
      ['A', 6],
      ['B', 2],
    ]);

    // This platform runs no order service: the typed answer is the documented retryable 503.
    expect(await client.order(id)).toEqual({
      found: false,
      problem: 'https://stockbridge.dev/problems/upstream-unavailable',
      retryAfterSeconds: 1,
    });
  });

  it('reads a refusal for want of stock as its typed problem, with the shortages', async () => {
    const refused = await client.hold(randomUUID(), [
      { sku: 'A', quantity: 1 },
      { sku: 'B', quantity: 50 },
    ]);
    expect(refused).toEqual({ held: false, shortages: [{ sku: 'B', requested: 50, available: 2 }] });
  });
});
