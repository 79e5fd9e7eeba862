import { runCli } from '../../apps/cli/src/cli';
import { Backends } from '../support/backends';
import { eventually, HttpClient } from '../support/http';
import { TestPlatform } from '../support/platform';

/** `cli demo backends`: what `npm start` runs so that the demo's WMS receipts and confirmations flow. */
describe('cli demo backends', () => {
  let platform: TestPlatform;
  let backends: Backends;

  const cli = async (argv: string[], adminToken: string | null = backends.credentials.adminToken) => {
    let stdout = '';
    let stderr = '';
    const status = await runCli(argv, {
      env: {
        DATABASE_URL: platform.env.databaseUrl,
        REDIS_URL: platform.env.redisUrl,
        REDIS_PREFIX: platform.env.redisPrefix,
        SANDBOX_ADMIN_TOKEN: adminToken ?? undefined,
      },
      stdout: { write: (t: string) => (stdout += t) },
      stderr: { write: (t: string) => (stderr += t) },
    });
    return { status, stdout, stderr };
  };

  beforeAll(async () => {
    platform = await TestPlatform.start('demobackends');
    await platform.seed({
      locations: [{ code: 'WH-EAST' }],
      skus: ['SKU-00001', 'SKU-00002'],
      channels: [
        { code: 'web', pool: ['WH-EAST'] },
        { code: 'marketplace', pool: ['WH-EAST'], policy: { holdback: 3 } },
      ],
      stock: [{ sku: 'SKU-00001', location: 'WH-EAST', onHand: 10 }],
    });
    backends = await Backends.start(platform);
  });

  afterAll(async () => {
    await backends?.stop();
    await platform?.stop();
  });

  it('needs the sandbox admin token, and says so when it is missing or wrong', async () => {
    const missing = await cli(['demo', 'backends', backends.sandbox.url], null);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('SANDBOX_ADMIN_TOKEN is not set');
    const wrong = await cli(['demo', 'backends', backends.sandbox.url], 'not-the-admin-token-at-all');
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toContain('the sandbox refused PUT /admin/erp/items: 401');
  });

  it('maps the catalog to the sandbox codes so that a WMS receipt in cases and a confirmation flow through', async () => {
    const run = await cli(['demo', 'backends', backends.sandbox.url]);
    expect(run).toMatchObject({
      status: 0,
      stdout: expect.stringContaining('mapped 2 SKUs and 1 locations'),
    });
    expect(run.stdout).toContain(
      'gave the sandbox ERP 1 and the sandbox WMS 1 stock figures from the ledger',
    );
    const erpOnHand = await backends.sandboxCall<{ items: unknown[] }>('GET', '/erp/api/v2/on-hand');
    expect(erpOnHand.items).toEqual([
      expect.objectContaining({ itemNo: 'ITM-SKU-00001', siteCode: 'S-WH-EAST', qtyEach: 10 }),
    ]);
    const wmsInventory = await backends.sandboxCall<{ items: unknown[] }>('GET', '/wms/api/inventory');
    expect(wmsInventory.items).toEqual([{ warehouse: 'DC-WH-EAST', itemCode: 'W-SKU-00001', qtyEach: 10 }]);
    // The marketplace lists every SKU at the marketplace channel's availability (10 on hand, 3 held back).
    expect(run.stdout).toContain(
      "listed 2 SKUs on the sandbox marketplace at the marketplace channel's availability",
    );
    const listings = await backends.sandboxCall<{
      total: number;
      inventoryItems: { sku: string; availability: { shipToLocationAvailability: { quantity: number } } }[];
    }>('GET', '/sell/inventory/v1/inventory_item');
    expect(listings.total).toBe(2);
    expect(
      listings.inventoryItems.map((i) => [i.sku, i.availability.shipToLocationAvailability.quantity]),
    ).toEqual([
      ['SKU-00001', 7],
      ['SKU-00002', 0],
    ]);
    // Twice is harmless, and keeps the backends' stock and the marketplace's figures as they are.
    await backends.sandboxCall('POST', '/admin/marketplace/inventory-items', {
      inventoryItems: [{ sku: 'SKU-00002', quantity: 4 }],
    });
    const again = await cli(['demo', 'backends', backends.sandbox.url]);
    expect(again).toMatchObject({ status: 0, stdout: expect.stringContaining('already hold stock') });
    expect(again.stdout).toContain('the sandbox marketplace already lists 2 SKUs');
    const kept = await backends.sandboxCall<{
      availability: { shipToLocationAvailability: { quantity: number } };
    }>('GET', '/sell/inventory/v1/inventory_item/SKU-00002');
    expect(kept.availability.shipToLocationAvailability.quantity).toBe(4);

    await backends.wmsOperation('receipts', {
      warehouse: 'DC-WH-EAST',
      itemCode: 'W-SKU-00001',
      qty: 2,
      uom: 'CS',
    });
    await eventually(
      () => platform.level('SKU-00001', 'WH-EAST'),
      (l) => l.onHand === 34,
      15_000,
      50,
    );
    expect(
      (await backends.sandboxCall<{ items: { qtyEach: number }[] }>('GET', '/wms/api/inventory')).items[0]
        .qtyEach,
    ).toBe(34);

    const web = new HttpClient(platform.storefront.url, {
      authorization: `Bearer ${await platform.apiKey('web')}`,
    });
    try {
      const r = await web.reserve([{ sku: 'SKU-00001', quantity: 1 }]);
      const id = (r.body as { id: string }).id;
      expect((await web.request('POST', `/v1/reservations/${id}/confirm`)).status).toBe(200);
      await eventually(
        () =>
          backends.sandboxCall<{ items: { lines: { itemNo: string; siteCode: string }[] }[] }>(
            'GET',
            `/erp/api/v2/commitments?externalRef=${id}`,
          ),
        (p) => p.items.length === 1,
        15_000,
        50,
      ).then((p) =>
        expect(p.items[0].lines[0]).toMatchObject({ itemNo: 'ITM-SKU-00001', siteCode: 'S-WH-EAST' }),
      );
    } finally {
      await web.close();
    }
  });

  it('says what is wrong with a bad sandbox URL or an unreachable sandbox', async () => {
    const bad = await cli(['demo', 'backends', 'not-a-url']);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain('not an http(s) base URL');
    const down = await cli(['demo', 'backends', 'http://127.0.0.1:1']);
    expect(down.status).not.toBe(0);
    expect(down.stderr).toContain('did not answer');
  });
});
