import { randomUUID } from 'node:crypto';
import { loadConfig } from '@stockbridge/config';
import { Mappings, UnmappedError } from '@stockbridge/mapping';
import { PermanentError } from '@stockbridge/messaging';
import { SystemWmsConfig } from '../system-wms.config';
import { isFulfilmentOrderRef, parseNativeEvent, SandboxWmsAdapter } from './sandbox-wms.adapter';

/** The cross-references of a test: W-<sku> items, DC-<location> warehouses, 12 each to a case. */
class FakeMappings extends Mappings {
  constructor() {
    // Never queried: every lookup is overridden below.
    super(null as unknown as ConstructorParameters<typeof Mappings>[0]);
  }
  override sku(system: string, code: string): Promise<string> {
    return code.startsWith('W-')
      ? Promise.resolve(code.slice(2))
      : Promise.reject(new UnmappedError(system, 'sku', code));
  }
  override location(system: string, code: string): Promise<string> {
    return code.startsWith('DC-')
      ? Promise.resolve(code.slice(3))
      : Promise.reject(new UnmappedError(system, 'location', code));
  }
  override toEaches(_system: string, _sku: string, quantity: number, uom: string): Promise<number> {
    return Promise.resolve(uom === 'CS' ? quantity * 12 : quantity);
  }
}

describe('SandboxWmsAdapter.translate', () => {
  let adapter: SandboxWmsAdapter;
  const orderId = randomUUID();
  const event = (body: Record<string, unknown>) => {
    const full = {
      eventId: randomUUID(),
      sequence: 1,
      occurredAt: '2025-11-28T10:00:00.000Z',
      warehouse: 'DC-WH1',
      itemCode: 'W-MUG',
      qty: 2,
      uom: 'CS',
      ...body,
    };
    return { eventId: full.eventId, occurredAt: full.occurredAt, body: full };
  };

  beforeAll(() => {
    const config = loadConfig(SystemWmsConfig, {
      DATABASE_URL: 'postgres://u@127.0.0.1:1/db',
      REDIS_URL: 'redis://127.0.0.1:1',
      SERVICE_TOKEN: 'unit-test-service-token',
      BACKEND_URL: 'http://127.0.0.1:1',
      WMS_WEBHOOK_SECRETS: 'unit-test-webhook-secret',
    });
    adapter = new SandboxWmsAdapter(config, new FakeMappings());
  });

  afterAll(() => adapter.onApplicationShutdown());

  it('reports a shipment for one of our fulfilment orders as shipped eaches, and moves no stock', async () => {
    const e = event({ eventType: 'SHIPMENT', orderRef: orderId });
    expect(await adapter.translate(e)).toEqual({
      movements: [],
      reports: [
        {
          kind: 'shipped',
          fulfilmentOrderId: orderId,
          lines: [{ sku: 'MUG', quantity: 24 }],
          sourceEventId: e.eventId,
          detail: null,
        },
      ],
    });
  });

  it('keeps a shipment without an order reference a ship movement', async () => {
    const e = event({ eventType: 'SHIPMENT', uom: 'EA', qty: 3 });
    expect(await adapter.translate(e)).toEqual({
      movements: [
        {
          sku: 'MUG',
          location: 'WH1',
          movementType: 'ship',
          quantity: 3,
          reason: null,
          sourceEventId: e.eventId,
        },
      ],
      reports: [],
    });
  });

  it("keeps a shipment of someone else's order (an OMS order number) a ship movement", async () => {
    const { movements, reports } = await adapter.translate(
      event({ eventType: 'SHIPMENT', uom: 'EA', qty: 1, orderRef: 'OMS-000042' }),
    );
    expect(movements).toEqual([expect.objectContaining({ movementType: 'ship', quantity: 1 })]);
    expect(reports).toEqual([]);
  });

  it('reports a short pick for one of our fulfilment orders with the units not found', async () => {
    const e = event({ eventType: 'SHORT_PICK', uom: 'EA', qty: 2, orderRef: orderId });
    expect(await adapter.translate(e)).toEqual({
      movements: [],
      reports: [
        {
          kind: 'short-picked',
          fulfilmentOrderId: orderId,
          lines: [{ sku: 'MUG', quantity: 2 }],
          sourceEventId: e.eventId,
          detail: null,
        },
      ],
    });
  });

  it('neither moves nor reports a short pick of an order we did not release', async () => {
    expect(
      await adapter.translate(event({ eventType: 'SHORT_PICK', uom: 'EA', qty: 2, orderRef: 'OMS-000042' })),
    ).toEqual({ movements: [], reports: [] });
  });

  it('reads a pick as nothing yet, and a transfer as two movements with their own source ids', async () => {
    expect(await adapter.translate(event({ eventType: 'PICK', orderRef: orderId }))).toEqual({
      movements: [],
      reports: [],
    });
    const t = event({ eventType: 'TRANSFER', toWarehouse: 'DC-WH2', uom: 'EA', qty: 4 });
    const { movements } = await adapter.translate(t);
    expect(movements.map((m) => [m.movementType, m.location, m.sourceEventId])).toEqual([
      ['transfer-out', 'WH1', `${t.eventId}:out`],
      ['transfer-in', 'WH2', `${t.eventId}:in`],
    ]);
  });

  it('quarantines an unmapped item as a permanent "unmapped" failure, also for a shipment of our order', async () => {
    await expect(
      adapter.translate(event({ eventType: 'SHIPMENT', itemCode: 'X-1', orderRef: orderId })),
    ).rejects.toMatchObject({ name: 'PermanentError', kind: 'unmapped', details: { code: 'X-1' } });
    await expect(adapter.translate(event({ eventType: 'RECEIPT', itemCode: 'X-1' }))).rejects.toBeInstanceOf(
      PermanentError,
    );
  });
});

describe('parseNativeEvent', () => {
  const base = {
    eventId: randomUUID(),
    sequence: 1,
    occurredAt: '2025-11-28T10:00:00.000Z',
    warehouse: 'DC-WH1',
    itemCode: 'W-MUG',
    qty: 2,
    uom: 'EA',
  };

  it('takes a short pick with its order reference', () => {
    expect(parseNativeEvent({ ...base, eventType: 'SHORT_PICK', orderRef: 'R-1' })).toMatchObject({
      eventType: 'SHORT_PICK',
      orderRef: 'R-1',
    });
  });

  it('refuses a short pick without an order reference, and an empty reference anywhere', () => {
    expect(() => parseNativeEvent({ ...base, eventType: 'SHORT_PICK' })).toThrow(
      /orderRef is required for SHORT_PICK/,
    );
    expect(() => parseNativeEvent({ ...base, eventType: 'SHIPMENT', orderRef: '' })).toThrow(
      /orderRef must be a non-empty string/,
    );
  });
});

describe('isFulfilmentOrderRef', () => {
  it('takes a UUID for our fulfilment order id, and nothing else', () => {
    expect(isFulfilmentOrderRef('0b8e3f4c-2f1a-4c7e-9d55-6a1e2b3c4d5e')).toBe(true);
    expect(isFulfilmentOrderRef('OMS-000042')).toBe(false);
    expect(isFulfilmentOrderRef(undefined)).toBe(false);
  });
});
