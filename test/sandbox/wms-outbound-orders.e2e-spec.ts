import { eventually, type HttpClient } from '../support/http';
import { type Page, SECRET, useSandbox, verifySignature } from './harness';

describe('sandbox backends', () => {
  const sandbox = useSandbox('sandbox_wms_outbound', { subscribe: true });
  const { stats, setFaults, inventory, receiver } = sandbox;
  let api: HttpClient;

  beforeAll(() => {
    ({ api } = sandbox);
  });

  describe('WMS', () => {
    describe('outbound orders', () => {
      interface Outbound {
        orderRef: string;
        warehouse: string;
        status: string;
        lines: {
          lineNo: number;
          itemCode: string;
          qty: number;
          uom: string;
          qtyEach: number;
          shippedEach: number;
          shortEach: number;
        }[];
      }
      const release = (orderRef: string, lines: { itemCode: string; qty: number; uom: string }[]) =>
        api.request<{ orderRef: string; status: string }>('POST', '/wms/api/outbound-orders', {
          body: { orderRef, warehouse: 'DC5', lines },
        });
      const outbound = async (orderRef: string) =>
        api.request<Outbound & { error?: string }>('GET', `/wms/api/outbound-orders/${orderRef}`);
      const cancel = (orderRef: string) =>
        api.request<{ orderRef?: string; status?: string; error?: string }>(
          'POST',
          `/wms/api/outbound-orders/${orderRef}/cancel`,
        );
      const op = (path: string, body: Record<string, unknown>) =>
        api.request<{ eventId: string; error?: string }>('POST', `/wms/api/${path}`, { body });

      beforeAll(async () => {
        await op('receipts', { warehouse: 'DC5', itemCode: 'PLATE', qty: 3, uom: 'CS' });
        await op('receipts', { warehouse: 'DC5', itemCode: 'BOWL', qty: 10, uom: 'EA' });
      });

      it('releases an order once per orderRef, also when twins arrive together, without touching stock', async () => {
        const ref = '0b8e3f4c-2f1a-4c7e-9d55-6a1e2b3c4d51';
        const lines = [
          { itemCode: 'PLATE', qty: 1, uom: 'CS' },
          { itemCode: 'BOWL', qty: 4, uom: 'EA' },
        ];
        const before = await stats();
        const twins = await Promise.all(Array.from({ length: 5 }, () => release(ref, lines)));
        expect(twins.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 201]);
        expect(twins.every((r) => r.body.orderRef === ref && r.body.status === 'RELEASED')).toBe(true);
        const other = await release(ref, [{ itemCode: 'MUG', qty: 99, uom: 'EA' }]);
        expect([other.status, other.body]).toEqual([200, { orderRef: ref, status: 'RELEASED' }]);
        const stored = await outbound(ref);
        expect(stored.status).toBe(200);
        expect(stored.body).toEqual({
          orderRef: ref,
          warehouse: 'DC5',
          status: 'RELEASED',
          lines: [
            { lineNo: 1, itemCode: 'PLATE', qty: 1, uom: 'CS', qtyEach: 12, shippedEach: 0, shortEach: 0 },
            { lineNo: 2, itemCode: 'BOWL', qty: 4, uom: 'EA', qtyEach: 4, shippedEach: 0, shortEach: 0 },
          ],
          createdAt: expect.any(String),
          updatedAt: expect.any(String),
        });
        expect((await stats()).wms.outboundOrders - before.wms.outboundOrders).toBe(1);
        expect((await stats()).wms.eventsCreated).toBe(before.wms.eventsCreated);
        expect(await inventory('DC5')).toEqual([
          { warehouse: 'DC5', itemCode: 'BOWL', qtyEach: 10 },
          { warehouse: 'DC5', itemCode: 'PLATE', qtyEach: 36 },
        ]);
        const listed = await api.request<Page<Outbound>>(
          'GET',
          '/wms/api/outbound-orders?warehouse=DC5&status=RELEASED',
        );
        expect(listed.body.items.map((o) => o.orderRef)).toContain(ref);
      });

      it('follows shipments under the orderRef to PART_SHIPPED and SHIPPED, and then refuses to cancel', async () => {
        const ref = 'ord-ship-1';
        await release(ref, [
          { itemCode: 'PLATE', qty: 1, uom: 'CS' },
          { itemCode: 'BOWL', qty: 2, uom: 'EA' },
        ]);
        const first = await op('shipments', {
          warehouse: 'DC5',
          itemCode: 'PLATE',
          qty: 12,
          uom: 'EA',
          orderRef: ref,
        });
        expect(first.status).toBe(201);
        expect((await outbound(ref)).body).toMatchObject({
          status: 'PART_SHIPPED',
          lines: [
            expect.objectContaining({ itemCode: 'PLATE', shippedEach: 12 }),
            expect.objectContaining({ itemCode: 'BOWL', shippedEach: 0 }),
          ],
        });
        const refused = await cancel(ref);
        expect([refused.status, refused.body.error]).toEqual([409, 'ALREADY_SHIPPED']);
        await op('shipments', { warehouse: 'DC5', itemCode: 'BOWL', qty: 2, uom: 'EA', orderRef: ref });
        expect((await outbound(ref)).body.status).toBe('SHIPPED');
        expect(
          (
            await api.request<Page<Outbound>>('GET', '/wms/api/outbound-orders?status=SHIPPED')
          ).body.items.map((o) => o.orderRef),
        ).toEqual([ref]);
        const hook = await eventually(
          async () => receiver.of(first.body.eventId)[0],
          (h) => h !== undefined,
        );
        expect(JSON.parse(hook.raw)).toMatchObject({
          eventType: 'SHIPMENT',
          orderRef: ref,
          qty: 12,
          uom: 'EA',
        });
      });

      it('cancels an order nothing has shipped for, again and again, and refuses later work on it', async () => {
        const ref = 'ord-cancel-1';
        await release(ref, [{ itemCode: 'BOWL', qty: 1, uom: 'EA' }]);
        expect((await cancel(ref)).body).toEqual({ orderRef: ref, status: 'CANCELLED' });
        const again = await cancel(ref);
        expect([again.status, again.body.status]).toEqual([200, 'CANCELLED']);
        const eventsBefore = (await stats()).wms.eventsCreated;
        for (const path of ['shipments', 'short-picks']) {
          const res = await op(path, {
            warehouse: 'DC5',
            itemCode: 'BOWL',
            qty: 1,
            uom: 'EA',
            orderRef: ref,
          });
          expect([res.status, res.body.error]).toEqual([409, 'ORDER_CANCELLED']);
        }
        expect((await stats()).wms.eventsCreated).toBe(eventsBefore);
        expect((await outbound(ref)).body.status).toBe('CANCELLED');
        // A release of the same reference does not bring it back.
        expect((await release(ref, [{ itemCode: 'BOWL', qty: 1, uom: 'EA' }])).body.status).toBe('CANCELLED');
      });

      it('lets exactly one of a cancellation and a shipment racing for the same order win', async () => {
        for (let i = 0; i < 5; i++) {
          const ref = `ord-race-${i}`;
          await release(ref, [{ itemCode: 'BOWL', qty: 1, uom: 'EA' }]);
          await op('receipts', { warehouse: 'DC5', itemCode: 'BOWL', qty: 1, uom: 'EA' });
          const [c, s] = await Promise.all([
            cancel(ref),
            op('shipments', { warehouse: 'DC5', itemCode: 'BOWL', qty: 1, uom: 'EA', orderRef: ref }),
          ]);
          // Cancelled first: the shipment is refused. Shipped first: the cancellation is.
          expect([c.status, s.status]).toEqual(c.status === 200 ? [200, 409] : [409, 201]);
          expect((await outbound(ref)).body.status).toBe(c.status === 200 ? 'CANCELLED' : 'SHIPPED');
        }
      });

      it('records a short pick: stock down by what the WMS had of it at most, the shortfall on the order, a webhook', async () => {
        const ref = 'ord-short-1';
        await op('receipts', { warehouse: 'DC6', itemCode: 'JUG', qty: 3, uom: 'EA' });
        await release(ref, [{ itemCode: 'JUG', qty: 5, uom: 'EA' }]);
        const short = await op('short-picks', {
          warehouse: 'DC6',
          itemCode: 'JUG',
          qty: 2,
          uom: 'EA',
          orderRef: ref,
        });
        expect(short.status).toBe(201);
        expect(await inventory('DC6')).toEqual([{ warehouse: 'DC6', itemCode: 'JUG', qtyEach: 1 }]);
        // The rest missing too, more than the WMS believed it had: it goes to zero, never below.
        expect(
          (await op('short-picks', { warehouse: 'DC6', itemCode: 'JUG', qty: 3, uom: 'EA', orderRef: ref }))
            .status,
        ).toBe(201);
        expect(await inventory('DC6')).toEqual([{ warehouse: 'DC6', itemCode: 'JUG', qtyEach: 0 }]);
        expect((await outbound(ref)).body).toMatchObject({
          status: 'RELEASED',
          lines: [expect.objectContaining({ shortEach: 5, shippedEach: 0 })],
        });
        // An order the WMS has never seen: the stock is still written off.
        expect(
          (
            await op('short-picks', {
              warehouse: 'DC7',
              itemCode: 'JUG',
              qty: 1,
              uom: 'EA',
              orderRef: 'OMS-1',
            })
          ).status,
        ).toBe(201);
        const hook = await eventually(
          async () => receiver.of(short.body.eventId)[0],
          (h) => h !== undefined,
        );
        expect(verifySignature(hook, SECRET)).toBe(true);
        expect(JSON.parse(hook.raw)).toEqual({
          eventId: short.body.eventId,
          eventType: 'SHORT_PICK',
          sequence: expect.any(Number),
          occurredAt: expect.any(String),
          warehouse: 'DC6',
          itemCode: 'JUG',
          qty: 2,
          uom: 'EA',
          orderRef: ref,
        });
        const missingRef = await op('short-picks', { warehouse: 'DC6', itemCode: 'JUG', qty: 1, uom: 'EA' });
        expect(missingRef.status).toBe(400);
      });

      it('answers unknown orders with its own 404 and malformed input with problem+json', async () => {
        expect((await outbound('nope-1')).body).toMatchObject({ error: 'ORDER_NOT_FOUND' });
        const unknown = await cancel('nope-1');
        expect([unknown.status, unknown.body.error]).toEqual([404, 'ORDER_NOT_FOUND']);
        const badRef = await api.request('GET', '/wms/api/outbound-orders/bad%20ref');
        expect([badRef.status, badRef.contentType]).toEqual([
          400,
          expect.stringContaining('application/problem+json'),
        ]);
        for (const body of [
          { orderRef: 'bad 1', warehouse: 'DC5', lines: [{ itemCode: 'BOWL', qty: 1, uom: 'EA' }] },
          { orderRef: 'bad-2', warehouse: 'DC5', lines: [] },
          { orderRef: 'bad-3', warehouse: 'DC5', lines: [{ itemCode: 'BOWL', qty: 0, uom: 'BOX' }] },
        ]) {
          const res = await api.request<{ detail: string }>('POST', '/wms/api/outbound-orders', { body });
          expect(res.status).toBe(400);
          expect(res.contentType).toContain('application/problem+json');
          expect(res.body.detail).toMatch(
            /orderRef must be|lines must contain at least 1|qty must not be less than 1/,
          );
        }
      });

      it('takes faults like every native route', async () => {
        await setFaults('wms', { failNext: 1 });
        expect((await release('ord-fault-1', [{ itemCode: 'BOWL', qty: 1, uom: 'EA' }])).status).toBe(500);
        expect((await outbound('ord-fault-1')).status).toBe(404);
        expect((await release('ord-fault-1', [{ itemCode: 'BOWL', qty: 1, uom: 'EA' }])).status).toBe(201);
      });
    });
  });
});
