import { eventually, type HttpClient } from '../support/http';
import { SECRET, useSandbox, verifySignature } from './harness';

describe('sandbox backends', () => {
  const sandbox = useSandbox('sandbox_wms_webhooks');
  const { stats, inventory, wmsEvents, receiver } = sandbox;
  let api: HttpClient;
  let receiverUrl: string;

  beforeAll(() => {
    ({ api, receiverUrl } = sandbox);
  });

  describe('WMS', () => {
    it('keeps events undelivered while there is no subscription', async () => {
      expect((await api.request('GET', '/admin/wms/subscription')).body).toEqual({ url: null });
      const res = await api.request<{ eventId: string; seq: number }>('POST', '/wms/api/receipts', {
        body: { warehouse: 'DC0', itemCode: 'EARLY', qty: 1, uom: 'EA' },
      });
      expect(res.status).toBe(201);
      await new Promise((r) => setTimeout(r, 700));
      const undelivered = await wmsEvents('?delivered=false');
      expect(undelivered.map((e) => e.eventId)).toContain(res.body.eventId);
      expect(undelivered.find((e) => e.eventId === res.body.eventId)!.attempts).toBe(0);
    });

    it('delivers a receipt of 2 CS as a signed webhook and holds 24 each', async () => {
      const sub = await api.request('PUT', '/admin/wms/subscription', {
        body: { url: receiverUrl, secret: SECRET },
      });
      expect(sub.body).toEqual({ url: receiverUrl });
      expect((await api.request('GET', '/admin/wms/subscription')).body).toEqual({ url: receiverUrl });

      const res = await api.request<{ eventId: string; seq: number }>('POST', '/wms/api/receipts', {
        body: { warehouse: 'DC1', itemCode: 'CUP-6', qty: 2, uom: 'CS' },
      });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        eventId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        seq: expect.any(Number),
      });
      expect(await inventory('DC1')).toEqual([{ warehouse: 'DC1', itemCode: 'CUP-6', qtyEach: 24 }]);

      const hooks = await eventually(
        async () => receiver.of(res.body.eventId),
        (h) => h.length > 0,
      );
      expect(hooks).toHaveLength(1);
      const hook = hooks[0];
      expect(hook.headers['content-type']).toBe('application/json');
      expect(verifySignature(hook, SECRET)).toBe(true);
      expect(verifySignature(hook, 'another-secret')).toBe(false);
      expect(JSON.parse(hook.raw)).toEqual({
        eventId: res.body.eventId,
        eventType: 'RECEIPT',
        sequence: res.body.seq,
        occurredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
        warehouse: 'DC1',
        itemCode: 'CUP-6',
        qty: 2,
        uom: 'CS',
      });
      // The event recorded before the subscription existed goes out now too.
      await eventually(
        () => wmsEvents('?delivered=false'),
        (e) => e.length === 0,
      );
      expect((await wmsEvents()).every((e) => e.deliveredAt !== null)).toBe(true);
    });

    it('retries with growing pauses while the receiver answers 500, then delivers', async () => {
      await eventually(
        () => wmsEvents('?delivered=false'),
        (e) => e.length === 0,
      );
      receiver.failNext = 3;
      const before = await stats();
      const res = await api.request<{ eventId: string }>('POST', '/wms/api/receipts', {
        body: { warehouse: 'DC3', itemCode: 'RETRY', qty: 1, uom: 'EA' },
      });
      const events = await eventually(
        () => wmsEvents(),
        (e) => Boolean(e.find((x) => x.eventId === res.body.eventId)?.deliveredAt),
        10_000,
      );
      expect(events.find((x) => x.eventId === res.body.eventId)).toMatchObject({
        attempts: 4,
        deliveredAt: expect.any(String),
      });
      const hooks = receiver.of(res.body.eventId);
      expect(hooks.map((h) => h.answered)).toEqual([500, 500, 500, 204]);
      expect(new Set(hooks.map((h) => h.raw)).size).toBe(1);
      expect(hooks.every((h) => verifySignature(h, SECRET))).toBe(true);
      const gaps = hooks.slice(1).map((h, i) => h.at - hooks[i].at);
      expect(gaps[0]).toBeGreaterThanOrEqual(200);
      expect(gaps[1]).toBeGreaterThanOrEqual(450);
      expect(gaps[2]).toBeGreaterThanOrEqual(950);
      const after = await stats();
      expect(after.wms.deliveriesFailed - before.wms.deliveriesFailed).toBe(3);
      expect(after.wms.deliveriesSucceeded - before.wms.deliveriesSucceeded).toBe(1);
    });

    it('redelivers the same bytes 5 times concurrently, each freshly signed and counted as an attempt', async () => {
      const res = await api.request<{ eventId: string }>('POST', '/wms/api/receipts', {
        body: { warehouse: 'DC4', itemCode: 'DUP', qty: 3, uom: 'EA' },
      });
      await eventually(
        async () => receiver.of(res.body.eventId),
        (h) => h.length === 1,
      );
      const redeliver = await api.request<{ statuses: number[] }>(
        'POST',
        `/admin/wms/events/${res.body.eventId}/redeliver`,
        { body: { times: 5, concurrent: true } },
      );
      expect(redeliver.status).toBe(200);
      expect(redeliver.body).toEqual({ statuses: [204, 204, 204, 204, 204] });
      const hooks = receiver.of(res.body.eventId);
      expect(hooks).toHaveLength(6);
      expect(new Set(hooks.map((h) => h.raw)).size).toBe(1);
      expect(hooks.every((h) => verifySignature(h, SECRET))).toBe(true);
      const once = await api.request<{ statuses: number[] }>(
        'POST',
        `/admin/wms/events/${res.body.eventId}/redeliver`,
        { body: {} },
      );
      expect(once.body.statuses).toEqual([204]);
      const withoutBody = await api.request<{ statuses: number[] }>(
        'POST',
        `/admin/wms/events/${res.body.eventId}/redeliver`,
      );
      expect(withoutBody.body).toEqual({ statuses: [204] });
      const oneByOne = await api.request<{ statuses: number[] }>(
        'POST',
        `/admin/wms/events/${res.body.eventId}/redeliver`,
        {
          body: { times: 2, concurrent: false },
        },
      );
      expect(oneByOne.body).toEqual({ statuses: [204, 204] });
      expect(receiver.of(res.body.eventId)).toHaveLength(10);
      // The event list counts every send: the delivery and the nine redeliveries.
      const listed = async () => (await wmsEvents()).find((e) => e.eventId === res.body.eventId)!;
      expect(await listed()).toMatchObject({
        attempts: 10,
        deliveredAt: expect.any(String),
        lastError: null,
      });
      receiver.failNext = 1;
      const failed = await api.request<{ statuses: number[] }>(
        'POST',
        `/admin/wms/events/${res.body.eventId}/redeliver`,
        { body: {} },
      );
      expect(failed.body).toEqual({ statuses: [500] });
      expect(await listed()).toMatchObject({
        attempts: 11,
        deliveredAt: expect.any(String),
        lastError: 'HTTP 500',
      });
      expect(
        (
          await api.request('POST', '/admin/wms/events/00000000-0000-4000-8000-000000000000/redeliver', {
            body: {},
          })
        ).status,
      ).toBe(404);
      expect(
        (
          await api.request('POST', `/admin/wms/events/${res.body.eventId}/redeliver`, {
            body: { times: 21 },
          })
        ).status,
      ).toBe(400);
    });
  });
});
