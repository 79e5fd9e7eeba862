import { Mappings } from '@stockbridge/mapping';
import { CliError } from '../cli.error';
import type { Command } from './command';
import { marketplaceListings } from './demo-marketplace';

/** How the demo's codes look in the sandbox backends: one rule, used for the cross-references and the ERP. */
export const demoCodes = {
  erpItem: (sku: string) => `ITM-${sku}`,
  erpSite: (location: string) => `S-${location}`,
  wmsItem: (sku: string) => `W-${sku}`,
  wmsWarehouse: (location: string) => `DC-${location}`,
};

/** Rows per request to the sandbox's admin routes (see `inBatches`). */
export const SANDBOX_BATCH_ROWS = 1_000;

export const demoBackendsCommand: Command = {
  name: 'demo backends',
  synopsis: '<sandbox-url>',
  summary:
    "map every SKU and location to the sandbox ERP's and WMS's codes (cases of 12 in the WMS), declare them in the sandbox ERP, list the SKUs on the sandbox marketplace, and give the backends the ledger's stock the first time",
  args: ['sandbox-url'],
  async run({ args, out, services, env }) {
    const sandbox = args[0].replace(/\/+$/, '');
    if (!/^https?:\/\/[^/]+$/.test(sandbox))
      throw new CliError(`"${args[0]}" is not an http(s) base URL like http://127.0.0.1:3900`);
    // The sandbox's admin routes want its admin token (the one it was started with).
    const adminToken = env.SANDBOX_ADMIN_TOKEN;
    if (!adminToken) throw new CliError('SANDBOX_ADMIN_TOKEN is not set: the sandbox admin token is needed');
    const admin = async (method: 'GET' | 'PUT' | 'POST', path: string, body?: unknown): Promise<unknown> => {
      const res = await fetch(`${sandbox}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${adminToken}`,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        body: body !== undefined ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(10_000),
      }).catch((err: unknown) => {
        throw new CliError(`the sandbox at ${sandbox} did not answer (${(err as Error).message})`);
      });
      if (!res.ok)
        throw new CliError(`the sandbox refused ${method} ${path}: ${res.status} ${await res.text()}`);
      return res.json();
    };
    const skus = (await services.db.query<{ sku: string }>('SELECT sku FROM skus ORDER BY sku')).rows.map(
      (r) => r.sku,
    );
    const locations = (
      await services.db.query<{ code: string }>('SELECT code FROM locations ORDER BY code')
    ).rows.map((r) => r.code);
    const mappings = new Mappings(services.db, 0);
    await mappings.putXrefs('sku', [
      ...skus.map((sku) => ({ system: 'erp', externalCode: demoCodes.erpItem(sku), code: sku })),
      ...skus.map((sku) => ({ system: 'wms', externalCode: demoCodes.wmsItem(sku), code: sku })),
    ]);
    await mappings.putXrefs('location', [
      ...locations.map((l) => ({ system: 'erp', externalCode: demoCodes.erpSite(l), code: l })),
      ...locations.map((l) => ({ system: 'wms', externalCode: demoCodes.wmsWarehouse(l), code: l })),
    ]);
    await mappings.putUoms([{ system: 'wms', uom: 'CS', sku: '*', factor: 12 }]);
    const put = (path: string, body: unknown) => admin('PUT', path, body);
    await inBatches(skus, (batch) =>
      put('/admin/erp/items', {
        items: batch.map((sku) => ({ itemNo: demoCodes.erpItem(sku), caseQty: 12 })),
      }),
    );
    await inBatches(locations, (batch) =>
      put('/admin/erp/sites', { sites: batch.map((l) => ({ siteCode: demoCodes.erpSite(l) })) }),
    );
    out.line(
      `mapped ${skus.length} SKUs and ${locations.length} locations for the sandbox ERP and WMS; ERP item master and sites declared`,
    );

    // The marketplace lists the marketplace channel's SKUs (the first time: later runs keep its figures).
    const listed = ((await admin('GET', '/admin/stats')) as { marketplace: { inventoryItems: number } })
      .marketplace.inventoryItems;
    if (listed > 0) out.line(`the sandbox marketplace already lists ${listed} SKUs: left as they are`);
    else {
      const { listings, skipped } = await marketplaceListings(services);
      await inBatches(listings, (batch) =>
        admin('POST', '/admin/marketplace/inventory-items', { inventoryItems: batch }),
      );
      if (listings.length > 0)
        out.line(
          `listed ${listings.length} SKUs on the sandbox marketplace at the marketplace channel's availability` +
            (skipped > 0 ? ` (${skipped} SKUs longer than 50 characters left out)` : ''),
        );
    }

    // The first time only: the backends start from the ledger's stock (the ERP everywhere, the WMS in the
    // warehouses), so that a reconciliation finds no drift until someone makes some. Later runs keep theirs.
    const erpRows = ((await admin('GET', '/admin/stats')) as { erp: { onHandRows: number } }).erp.onHandRows;
    if (erpRows > 0) {
      out.line('the sandbox backends already hold stock: left as it is');
      return;
    }
    const levels = (
      await services.db.query<{ sku: string; location: string; on_hand: string; type: string }>(
        `SELECT s.sku, s.location, s.on_hand, l.type FROM stock_levels s JOIN locations l ON l.code = s.location
          WHERE s.on_hand > 0 ORDER BY s.sku, s.location`,
      )
    ).rows;
    const warehouse = levels.filter((l) => l.type === 'warehouse');
    // The WMS first, the ERP last: stock in the ERP is what marks this done (above), so a run that breaks off
    // before the ERP's first batch is done again whole by the next run (every figure is absolute).
    await inBatches(warehouse, (batch) =>
      put('/admin/wms/inventory', {
        rows: batch.map((l) => ({
          warehouse: demoCodes.wmsWarehouse(l.location),
          itemCode: demoCodes.wmsItem(l.sku),
          qtyEach: Number(l.on_hand),
        })),
      }),
    );
    await inBatches(levels, (batch) =>
      put('/admin/erp/on-hand', {
        rows: batch.map((l) => ({
          itemNo: demoCodes.erpItem(l.sku),
          siteCode: demoCodes.erpSite(l.location),
          qtyEach: Number(l.on_hand),
        })),
      }),
    );
    out.line(
      `gave the sandbox ERP ${levels.length} and the sandbox WMS ${warehouse.length} stock figures from the ledger`,
    );
  },
};

/**
 * Sends `rows` a batch at a time, in order. The sandbox's admin routes take up to 10,000 rows and a body of
 * 1 MiB (BODY_LIMIT_BYTES); 1,000 rows of the longest codes (64 characters) stay under a quarter of that.
 */
async function inBatches<T>(
  rows: T[],
  send: (batch: T[]) => Promise<unknown>,
  size = SANDBOX_BATCH_ROWS,
): Promise<void> {
  for (let i = 0; i < rows.length; i += size) await send(rows.slice(i, i + size));
}
