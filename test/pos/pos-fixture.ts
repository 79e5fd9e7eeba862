import { randomUUID } from 'node:crypto';
import type { HttpClient, HttpResult } from '../support/http';
import type { SeedSpec } from '../support/platform';

/** Four stores of the `pos` channel with their coordinates (NYC, Boston, Chicago, San Francisco) and a warehouse. */
export const STORES: SeedSpec['locations'] = [
  { code: 'S-NYC', type: 'store', name: 'SoHo, New York', latitude: 40.7233, longitude: -74.003 },
  { code: 'S-BOS', type: 'store', name: 'Back Bay, Boston', latitude: 42.3505, longitude: -71.079 },
  { code: 'S-CHI', type: 'store', name: 'Wicker Park, Chicago', latitude: 41.9088, longitude: -87.6796 },
  {
    code: 'S-SF',
    type: 'store',
    name: 'Hayes Valley, San Francisco',
    latitude: 37.7765,
    longitude: -122.4241,
  },
];
export const WAREHOUSE = { code: 'WH-1' };

export interface PosResult {
  transactionId: string | null;
  status: 'applied' | 'duplicate' | 'voided' | 'refused';
  reason?: string;
}

export interface Pickup {
  id: string;
  store: string;
  status: 'reserved' | 'collected' | 'cancelled' | 'lapsed';
  pickupBy: string;
  reference: string | null;
  lines: { sku: string; quantity: number }[];
}

/** A sale of `lines` ([sku, quantity]) at the till, `agoMs` ago. */
export function sale(transactionId: string, lines: [string, number][], agoMs = 0) {
  return {
    transactionId,
    type: 'sale' as const,
    occurredAt: new Date(Date.now() - agoMs).toISOString(),
    lines: lines.map(([sku, quantity]) => ({ sku, quantity })),
  };
}

export function postBatch(client: HttpClient, store: string, transactions: unknown[]) {
  return client.request<{ results: PosResult[] }>('POST', `/v1/stores/${store}/transactions`, {
    body: { transactions },
  });
}

export function createPickup(
  client: HttpClient,
  store: string,
  body: { lines: { sku: string; quantity: number }[]; pickupBy: string; reference?: string },
  key: string = randomUUID(),
) {
  return client.request<Pickup>('POST', `/v1/stores/${store}/pickups`, {
    body,
    headers: { 'idempotency-key': key },
  });
}

export function expectProblem(res: HttpResult, status: number, code?: string): void {
  expect({ status: res.status, contentType: res.contentType }).toEqual({
    status,
    contentType: expect.stringContaining('application/problem+json') as string,
  });
  expect(res.body).toMatchObject({
    status,
    ...(code ? { type: expect.stringMatching(new RegExp(`/${code}$`)) as string } : {}),
  });
}
