import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { TestEnvironment } from '../support/environment';
import { HttpClient } from '../support/http';
import { type SandboxHarness, startSandbox, useSandbox } from './harness';

/** The OAuth2 client a seller's app presents to the sandbox marketplace. */
export const CLIENT_ID = 'stockbridge-marketplace';
export const CLIENT_SECRET = 'marketplace-client-secret-0123';

/** One entry of eBay's `errors` array. */
export interface EbayError {
  errorId: number;
  domain: string;
  category: string;
  message: string;
  parameters?: { name: string; value: string }[];
}

/** The answer of bulk_update_price_quantity. */
export interface BulkResponse {
  responses: { statusCode: number; sku?: string; errors?: EbayError[] }[];
}

/** The marketplace counters of GET /admin/stats. */
export interface MarketplaceStats {
  inventoryCalls: number;
  orderCalls: number;
  cancellationCalls: number;
  rateLimited: number;
  bulkUpdateCalls: number;
  skuUpdatesApplied: number;
  skuUpdatesRejected: number;
  inventoryItems: number;
  orders: number;
  ordersCancelled: number;
  faulted: number;
  unauthorized: number;
}

/** Starts a sandbox (see startSandbox) whose marketplace wants OAuth2 client credentials. */
export function startMarketplace(
  env: TestEnvironment,
  extra: Record<string, string> = {},
): Promise<{ app: NestFastifyApplication; url: string }> {
  return startSandbox(env, { SANDBOX_MARKETPLACE_AUTH: `oauth2:${CLIENT_ID}:${CLIENT_SECRET}`, ...extra });
}

/** A client of the marketplace as a seller's app sees it: an OAuth2 bearer token, eBay's paths. */
export async function sellerClient(url: string): Promise<HttpClient> {
  const anonymous = new HttpClient(url);
  try {
    const token = await anonymous.request<{ access_token: string }>('POST', '/oauth/token', {
      body: { grant_type: 'client_credentials', client_id: CLIENT_ID, client_secret: CLIENT_SECRET },
    });
    expect(token.status).toBe(200);
    return new HttpClient(url, { authorization: `Bearer ${token.body.access_token}` });
  } finally {
    await anonymous.close();
  }
}

/** One request of bulk_update_price_quantity: the quantity of a SKU. */
export const priceQuantity = (sku: string, quantity: number) => ({
  sku,
  shipToLocationAvailability: { quantity },
});

/** The path and query of an absolute `next`/`prev` URL, to follow it with the client. */
export const pathOf = (url: string) => {
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
};

/**
 * One test file's marketplace: a sandbox (see useSandbox) whose marketplace wants OAuth2, a seller client
 * and 30 listed SKUs, MKT-001 to MKT-030, 10 of each. The seller is set by the `beforeAll` of useMarketplace.
 */
export class MarketplaceHarness {
  /** The seller's client, with its bearer token. */
  seller: HttpClient;

  constructor(readonly sandbox: SandboxHarness) {}

  /** The marketplace counters of GET /admin/stats, asked with `client` (the admin client by default). */
  readonly stats = async (client: HttpClient = this.sandbox.api) =>
    (await client.request<{ marketplace: MarketplaceStats }>('GET', '/admin/stats')).body.marketplace;

  /** The listed quantity of a SKU, as the seller reads it. */
  readonly quantityOf = async (sku: string) =>
    (
      await this.seller.request<{ availability: { shipToLocationAvailability: { quantity: number } } }>(
        'GET',
        `/sell/inventory/v1/inventory_item/${sku}`,
      )
    ).body.availability.shipToLocationAvailability.quantity;

  /** Lists SKUs with their quantities through the admin route. */
  readonly listItems = (items: { sku: string; quantity: number }[]) =>
    this.sandbox.api.request<{ upserted: number }>('POST', '/admin/marketplace/inventory-items', {
      body: { inventoryItems: items },
    });
}

/** Starts a marketplace for the enclosing describe and lists MKT-001 to MKT-030 (beforeAll). */
export function useMarketplace(label: string): MarketplaceHarness {
  const sandbox = useSandbox(label, {
    // Call limits far above what these tests send: the limits have their own instance.
    env: {
      SANDBOX_MARKETPLACE_AUTH: `oauth2:${CLIENT_ID}:${CLIENT_SECRET}`,
      SANDBOX_MARKETPLACE_INVENTORY_CALLS_PER_SECOND: '10000',
      SANDBOX_MARKETPLACE_ORDER_CALLS_PER_SECOND: '10000',
    },
  });
  const marketplace = new MarketplaceHarness(sandbox);
  beforeAll(async () => {
    marketplace.seller = sandbox.own(await sellerClient(sandbox.baseUrl));
    const seeded = await marketplace.listItems(
      Array.from({ length: 30 }, (_, i) => ({ sku: `MKT-${String(i + 1).padStart(3, '0')}`, quantity: 10 })),
    );
    expect(seeded.body).toEqual({ upserted: 30 });
  });
  return marketplace;
}
