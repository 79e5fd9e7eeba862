import { eventually, type HttpClient } from '../support/http';
import { useSandbox } from './harness';

describe('sandbox backends', () => {
  const sandbox = useSandbox('sandbox_wms_stock', { subscribe: true });
  const { stats, inventory, receiver } = sandbox;
  let api: HttpClient;

  beforeAll(() => {
    ({ api } = sandbox);
  });

  describe('WMS', () => {
    it('applies picks, shipments, adjustments, counts and transfers, never below zero', async () => {
      const post = (path: string, body: Record<string, unknown>) =>
        api.request<{ eventId: string; error?: string }>('POST', `/wms/api/${path}`, { body });
      expect((await post('receipts', { warehouse: 'DC2', itemCode: 'MUG', qty: 30, uom: 'EA' })).status).toBe(
        201,
      );
      const pick = await post('picks', {
        warehouse: 'DC2',
        itemCode: 'MUG',
        qty: 1,
        uom: 'CS',
        orderRef: 'OMS-000009',
      });
      expect(pick.status).toBe(201);
      expect(await inventory('DC2')).toEqual([{ warehouse: 'DC2', itemCode: 'MUG', qtyEach: 30 }]);
      expect(
        (
          await post('shipments', {
            warehouse: 'DC2',
            itemCode: 'MUG',
            qty: 1,
            uom: 'CS',
            orderRef: 'OMS-000009',
          })
        ).status,
      ).toBe(201);
      expect((await inventory('DC2'))[0].qtyEach).toBe(18);
      const adjust = await post('adjustments', {
        warehouse: 'DC2',
        itemCode: 'MUG',
        qty: -3,
        uom: 'EA',
        reasonCode: 'DAMAGED',
      });
      expect(adjust.status).toBe(201);
      expect((await inventory('DC2'))[0].qtyEach).toBe(15);
      const transfer = await post('transfers', {
        fromWarehouse: 'DC2',
        toWarehouse: 'STORE1',
        itemCode: 'MUG',
        qty: 5,
        uom: 'EA',
      });
      expect(transfer.status).toBe(201);
      expect((await inventory('DC2'))[0].qtyEach).toBe(10);
      expect(await inventory('STORE1')).toEqual([{ warehouse: 'STORE1', itemCode: 'MUG', qtyEach: 5 }]);
      const count = await post('cycle-counts', {
        warehouse: 'STORE1',
        itemCode: 'MUG',
        countedQty: 1,
        uom: 'CS',
      });
      expect(count.status).toBe(201);
      expect((await inventory('STORE1'))[0].qtyEach).toBe(12);

      const eventsBefore = (await stats()).wms.eventsCreated;
      const short = await post('shipments', { warehouse: 'DC2', itemCode: 'MUG', qty: 11, uom: 'EA' });
      expect(short.status).toBe(409);
      expect(short.body).toMatchObject({ error: 'INSUFFICIENT_STOCK' });
      expect(
        (
          await post('adjustments', {
            warehouse: 'DC2',
            itemCode: 'NEVER-SEEN',
            qty: -1,
            uom: 'EA',
            reasonCode: 'LOST',
          })
        ).status,
      ).toBe(409);
      expect(
        (
          await post('transfers', {
            fromWarehouse: 'STORE1',
            toWarehouse: 'DC2',
            itemCode: 'MUG',
            qty: 2,
            uom: 'CS',
          })
        ).status,
      ).toBe(409);
      expect(
        (
          await post('transfers', {
            fromWarehouse: 'DC2',
            toWarehouse: 'DC2',
            itemCode: 'MUG',
            qty: 1,
            uom: 'EA',
          })
        ).status,
      ).toBe(422);
      expect(
        (await post('adjustments', { warehouse: 'DC2', itemCode: 'MUG', qty: 0, uom: 'EA', reasonCode: 'X' }))
          .status,
      ).toBe(400);
      expect((await post('receipts', { warehouse: 'DC 2', itemCode: 'MUG', qty: 1, uom: 'EA' })).status).toBe(
        400,
      );
      expect((await stats()).wms.eventsCreated).toBe(eventsBefore);
      expect((await inventory('DC2'))[0].qtyEach).toBe(10);

      const bodies = await eventually(
        async () => [adjust, transfer, count, pick].map((r) => receiver.of(r.body.eventId)[0]),
        (hooks) => hooks.every(Boolean),
      );
      const [adjustBody, transferBody, countBody, pickBody] = bodies.map(
        (h) => JSON.parse(h.raw) as Record<string, unknown>,
      );
      expect(adjustBody).toMatchObject({
        eventType: 'ADJUSTMENT',
        qty: -3,
        uom: 'EA',
        reasonCode: 'DAMAGED',
      });
      expect(transferBody).toMatchObject({
        eventType: 'TRANSFER',
        warehouse: 'DC2',
        toWarehouse: 'STORE1',
        qty: 5,
      });
      expect(countBody).toMatchObject({ eventType: 'CYCLE_COUNT', warehouse: 'STORE1', qty: 1, uom: 'CS' });
      expect(pickBody).toMatchObject({ eventType: 'PICK', orderRef: 'OMS-000009', qty: 1, uom: 'CS' });
    });
  });
});
