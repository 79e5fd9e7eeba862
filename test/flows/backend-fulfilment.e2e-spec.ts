// One file past 400 lines on purpose: both backend round trips (WMS fulfilment, ERP postings) run on one started
// chain of apps and sandbox, which takes seconds to start; split, each file would start it again.
import { randomBytes, randomUUID } from 'node:crypto';
import type {
  EventEnvelope,
  FulfilmentReportedEvent,
  FulfilmentRequestedPayload,
  PostingAcknowledgedEvent,
  PostingRequestedPayload,
  StockMovedEvent,
} from '@stockbridge/canonical';
import {
  deterministicEventId,
  envelope,
  jobOptions,
  type QueueName,
  QueueRegistry,
  redisOptionsFromUrl,
} from '@stockbridge/messaging';
import { Db, openDataSource } from '@stockbridge/persistence';
import { type Job, Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import { Backends } from '../support/backends';
import { createTestEnvironment, type TestEnvironment } from '../support/environment';
import { eventually } from '../support/http';

interface Page<T> {
  totalItems: number;
  items: T[];
}

interface OutboundOrder {
  orderRef: string;
  warehouse: string;
  status: string;
  lines: { itemCode: string; qty: number; uom: string; qtyEach: number }[];
}

interface JournalEntry {
  entryId: string;
  postingKey: string;
  type: string;
  amount: string;
  currency: string;
  reference: string;
  reasonCode: string | null;
  businessDate: string;
  lines: { itemNo: string; siteCode: string | null; qty: number; amount: string }[];
}

/**
 * The system apps' side of fulfilment and finance against the sandbox backends: system-wms releases and
 * cancels fulfilment orders in the WMS and reports what the WMS did; system-erp books postings in the ERP
 * and acknowledges them. No process app runs here, so the reports and acknowledgments stay on their queues
 * (allocation.fulfilment-reports, finance.posting-results) to be read as process-allocation would get them.
 */
describe('fulfilment requests → system-wms → WMS → fulfilment reports; postings → system-erp → ERP → acknowledgments', () => {
  let env: TestEnvironment;
  let ds: DataSource;
  let db: Db;
  let backends: Backends;
  /** Publishes as the process layer does: each event to its routed queues, with the queues' job options. */
  let producer: QueueRegistry;
  const producerQueues: Queue[] = [];
  const token = randomBytes(16).toString('hex');
  const baseEnv = (): Record<string, string> => ({
    DATABASE_URL: env.databaseUrl,
    REDIS_URL: env.redisUrl,
    REDIS_PREFIX: env.redisPrefix,
    SERVICE_TOKEN: token,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    PORT: '0',
  });

  const publish = (...events: EventEnvelope[]) => producer.publish(events);
  const fulfilmentRequest = (payload: Partial<FulfilmentRequestedPayload>) =>
    envelope(
      'fulfilment.requested',
      {
        action: 'release',
        fulfilmentOrderId: randomUUID(),
        orderId: randomUUID(),
        channel: 'web',
        location: 'WH-1',
        lines: [],
        shipTo: null,
        ...payload,
      },
      { source: 'process-allocation', partitionKey: payload.fulfilmentOrderId ?? 'fo' },
    );
  const postingRequest = (payload: Partial<PostingRequestedPayload>) =>
    envelope(
      'finance.posting-requested',
      {
        postingKey: `revenue:${randomUUID()}`,
        kind: 'revenue',
        channel: 'web',
        amountCents: 5000,
        currency: 'EUR',
        businessDate: '2025-11-28',
        reference: 'ord-1',
        reasonCode: null,
        lines: [],
        ...payload,
      },
      { source: 'process-allocation', partitionKey: 'ord-1' },
    );

  /** A job by id once it is there (and, with `finished`, once its worker is done with it). */
  const job = async <T>(queue: QueueName, id: string, finished = false): Promise<Job<T> | undefined> =>
    eventually(
      async () => (await backends.queue(queue).getJob(id)) as Job<T> | undefined,
      (j) => j !== undefined && (!finished || j.finishedOn !== undefined),
      15_000,
      50,
    );
  const reportAbout = (sourceEventId: string) =>
    job<FulfilmentReportedEvent>(
      'allocation.fulfilment-reports',
      deterministicEventId(`wms/fulfilment/${sourceEventId}`),
    );
  const jobsOf = async <T>(queue: QueueName): Promise<T[]> =>
    (
      await backends
        .queue(queue)
        .getJobs(['waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized'])
    ).map((j) => j.data as T);
  const outbound = (orderRef: string) =>
    backends.sandboxHttp.request<OutboundOrder>('GET', `/wms/api/outbound-orders/${orderRef}`);
  const journal = (query: string) =>
    backends.sandboxCall<Page<JournalEntry>>('GET', `/erp/api/v2/journal-entries?${query}`);

  beforeAll(async () => {
    env = await createTestEnvironment('befulfil');
    ds = await openDataSource({ url: env.databaseUrl, poolSize: 4 });
    db = Db.fromDataSource(ds);
    backends = await Backends.start({ db, baseEnv });
    await backends.catalog({ skus: ['F-1', 'F-2'], locations: ['WH-1'] });
    // F-BAD is known to our mappings under an item number the ERP has never heard of: the ERP answers 422.
    await backends.mappings.putXrefs('sku', [{ system: 'erp', externalCode: 'ITM-UNKNOWN', code: 'F-BAD' }]);
    await backends.sandboxCall('PUT', '/admin/wms/inventory', {
      rows: [
        { warehouse: 'DC-WH-1', itemCode: 'W-F-1', qtyEach: 20 },
        { warehouse: 'DC-WH-1', itemCode: 'W-F-2', qtyEach: 20 },
      ],
    });
    for (const name of ['wms.fulfilment-requests', 'erp.postings'] as const) {
      const q = new Queue(name, {
        connection: redisOptionsFromUrl(env.redisUrl),
        prefix: `${env.redisPrefix}q`,
        defaultJobOptions: jobOptions(name),
      });
      producerQueues.push(q);
    }
    producer = new QueueRegistry(producerQueues);
  });

  afterAll(async () => {
    for (const q of producerQueues) await q.close();
    await backends?.stop();
    await ds?.destroy();
    await env?.teardown();
  });

  afterEach(async () => {
    await backends.sandboxCall('DELETE', '/admin/faults');
  });

  describe('WMS', () => {
    const released = fulfilmentRequest({
      fulfilmentOrderId: randomUUID(),
      lines: [
        { sku: 'F-1', quantity: 3 },
        { sku: 'F-2', quantity: 1 },
      ],
    });
    const foId = released.payload.fulfilmentOrderId;

    it('releases a fulfilment order to the WMS in its codes and reports it released under an id of the request', async () => {
      await publish(released);
      const report = await reportAbout(released.id);
      expect(report?.data).toMatchObject({
        type: 'fulfilment.reported',
        source: 'system-wms',
        causationId: released.id,
        correlationId: released.correlationId,
        partitionKey: foId,
        payload: {
          kind: 'released',
          fulfilmentOrderId: foId,
          lines: [],
          sourceEventId: released.id,
          detail: null,
        },
      });
      const order = await outbound(foId);
      expect(order.status).toBe(200);
      expect(order.body).toMatchObject({
        orderRef: foId,
        warehouse: 'DC-WH-1',
        status: 'RELEASED',
        lines: [
          expect.objectContaining({ itemCode: 'W-F-1', qty: 3, uom: 'EA', qtyEach: 3 }),
          expect.objectContaining({ itemCode: 'W-F-2', qty: 1, uom: 'EA', qtyEach: 1 }),
        ],
      });
    });

    it('does not call the WMS again for a request it has handled (a replay under another job id)', async () => {
      const before = await backends.sandboxCall<{ wms: { outboundOrders: number } }>('GET', '/admin/stats');
      const replay = await backends.queue('wms.fulfilment-requests').add('fulfilment.requested', released, {
        ...jobOptions('wms.fulfilment-requests'),
        jobId: `replay-${released.id}`,
      });
      const done = await job<unknown>('wms.fulfilment-requests', replay.id!, true);
      expect(done?.returnvalue).toEqual({ reported: null });
      const after = await backends.sandboxCall<{ wms: { outboundOrders: number } }>('GET', '/admin/stats');
      expect(after.wms.outboundOrders).toBe(before.wms.outboundOrders);
      const reports = await jobsOf<FulfilmentReportedEvent>('allocation.fulfilment-reports');
      expect(reports.filter((r) => r.payload.sourceEventId === released.id)).toHaveLength(1);
    });

    it('reports a WMS shipment of the order as shipped eaches, and publishes no stock movement for it', async () => {
      const shipment = await backends.wmsOperation('shipments', {
        warehouse: 'DC-WH-1',
        itemCode: 'W-F-1',
        qty: 3,
        uom: 'EA',
        orderRef: foId,
      });
      const report = await reportAbout(shipment.eventId);
      expect(report?.data).toMatchObject({
        type: 'fulfilment.reported',
        causationId: shipment.eventId,
        partitionKey: foId,
        payload: {
          kind: 'shipped',
          fulfilmentOrderId: foId,
          lines: [{ sku: 'F-1', quantity: 3 }],
          sourceEventId: shipment.eventId,
        },
      });
      // Published in the same step as the report: had there been a movement, it would be queued by now.
      const moved = await jobsOf<StockMovedEvent>('inventory.stock-moved');
      expect(moved.filter((m) => m.payload.sourceEventId.startsWith(shipment.eventId))).toEqual([]);
      expect((await outbound(foId)).body.status).toBe('PART_SHIPPED');

      // A shipment that names no order of ours is still a ship movement.
      const loose = await backends.wmsOperation('shipments', {
        warehouse: 'DC-WH-1',
        itemCode: 'W-F-2',
        qty: 1,
        uom: 'CS',
      });
      const movement = await job<StockMovedEvent>(
        'inventory.stock-moved',
        deterministicEventId(`wms/${loose.eventId}`),
      );
      expect(movement?.data.payload).toMatchObject({
        movementType: 'ship',
        sku: 'F-2',
        location: 'WH-1',
        quantity: 12,
        sourceSystem: 'wms',
        sourceEventId: loose.eventId,
      });
    });

    it('reports a short pick of the order with the units that could not be found', async () => {
      const short = await backends.sandboxCall<{ eventId: string }>('POST', '/wms/api/short-picks', {
        warehouse: 'DC-WH-1',
        itemCode: 'W-F-2',
        qty: 1,
        uom: 'EA',
        orderRef: foId,
      });
      const report = await reportAbout(short.eventId);
      expect(report?.data.payload).toEqual({
        kind: 'short-picked',
        fulfilmentOrderId: foId,
        lines: [{ sku: 'F-2', quantity: 1 }],
        sourceEventId: short.eventId,
        detail: null,
      });
    });

    it('cancels an unshipped order in the WMS, and reports a refusal for one that has shipped', async () => {
      const other = fulfilmentRequest({ lines: [{ sku: 'F-2', quantity: 2 }] });
      await publish(other);
      await reportAbout(other.id);
      const cancelOther = fulfilmentRequest({
        action: 'cancel',
        fulfilmentOrderId: other.payload.fulfilmentOrderId,
      });
      const cancelShipped = fulfilmentRequest({ action: 'cancel', fulfilmentOrderId: foId });
      await publish(cancelOther, cancelShipped);

      expect((await reportAbout(cancelOther.id))?.data.payload).toEqual({
        kind: 'cancelled',
        fulfilmentOrderId: other.payload.fulfilmentOrderId,
        lines: [],
        sourceEventId: cancelOther.id,
        detail: null,
      });
      expect((await outbound(other.payload.fulfilmentOrderId)).body.status).toBe('CANCELLED');
      expect((await reportAbout(cancelShipped.id))?.data.payload).toEqual({
        kind: 'cancel-refused',
        fulfilmentOrderId: foId,
        lines: [],
        sourceEventId: cancelShipped.id,
        detail: expect.stringMatching(/already shipped/),
      });
      expect((await outbound(foId)).body.status).toBe('PART_SHIPPED');
    });
  });

  describe('WMS, a cancellation that overtakes its release', () => {
    it('retries the cancellation the WMS cannot place yet, instead of dead-lettering it, and cancels once the release lands', async () => {
      const fo = randomUUID();
      const cancel = fulfilmentRequest({ action: 'cancel', fulfilmentOrderId: fo });
      await publish(cancel);
      const waiting = await eventually(
        async () => backends.queue('wms.fulfilment-requests').getJob(cancel.id),
        (j) => (j?.attemptsMade ?? 0) >= 1,
        15_000,
        50,
      );
      expect(waiting?.failedReason).toMatch(/does not know fulfilment order/);
      expect(await waiting?.getState()).not.toBe('failed');
      expect(
        (await backends.deadLetters.list({ queue: 'wms.fulfilment-requests' })).items.map((d) => d.jobId),
      ).not.toContain(cancel.id);

      const release = fulfilmentRequest({ fulfilmentOrderId: fo, lines: [{ sku: 'F-1', quantity: 1 }] });
      await publish(release);
      expect((await reportAbout(release.id))?.data.payload.kind).toBe('released');
      const report = await eventually(
        () => reportAbout(cancel.id),
        (j) => j !== undefined,
        15_000,
        100,
      );
      expect(report?.data.payload).toMatchObject({ kind: 'cancelled', fulfilmentOrderId: fo });
      expect((await outbound(fo)).body.status).toBe('CANCELLED');
    });
  });

  describe('ERP', () => {
    it('books a posting once although the ERP fails twice first, and acknowledges it under an id of the posting key', async () => {
      await backends.sandboxCall('PUT', '/admin/faults/erp', { failNext: 2 });
      const before = await backends.sandboxCall<{ erp: { faulted: number } }>('GET', '/admin/stats');
      const posting = postingRequest({
        postingKey: 'revenue:ord-100',
        reference: 'ord-100',
        amountCents: 5099,
        lines: [{ sku: 'F-1', location: 'WH-1', quantity: 2, amountCents: 5099 }],
      });
      await publish(posting);
      const ack = await job<PostingAcknowledgedEvent>(
        'finance.posting-results',
        deterministicEventId('erp/posting/revenue:ord-100'),
      );
      const entries = await journal('reference=ord-100');
      expect(entries.totalItems).toBe(1);
      expect(entries.items[0]).toMatchObject({
        postingKey: 'revenue:ord-100',
        type: 'REVENUE',
        amount: '50.99',
        currency: 'EUR',
        businessDate: '2025-11-28',
        lines: [{ itemNo: 'ITM-F-1', siteCode: 'S-WH-1', qty: 2, amount: '50.99' }],
      });
      expect(ack?.data).toMatchObject({
        type: 'finance.posting-acknowledged',
        source: 'system-erp',
        causationId: posting.id,
        payload: { postingKey: 'revenue:ord-100', erpReference: entries.items[0].entryId, duplicate: false },
      });
      const after = await backends.sandboxCall<{ erp: { faulted: number } }>('GET', '/admin/stats');
      expect(after.erp.faulted - before.erp.faulted).toBe(2);
      expect(
        (await backends.sandboxCall<{ erp: { failNext: number } }>('GET', '/admin/faults')).erp.failNext,
      ).toBe(0);
    });

    it('books nothing for the same posting asked again under another event id: the ERP answers duplicate, one acknowledgment stands', async () => {
      const again = postingRequest({
        postingKey: 'revenue:ord-100',
        reference: 'ord-100',
        amountCents: 5099,
        lines: [{ sku: 'F-1', location: 'WH-1', quantity: 2, amountCents: 5099 }],
      });
      await publish(again);
      const done = await job<unknown>('erp.postings', again.id, true);
      const entries = await journal('reference=ord-100');
      expect(entries.totalItems).toBe(1);
      expect(done?.returnvalue).toEqual({ erpReference: entries.items[0].entryId, duplicate: true });
      const stats = await backends.sandboxCall<{
        erp: { journalEntriesCreated: number; journalEntryDuplicates: number };
      }>('GET', '/admin/stats');
      expect(stats.erp).toMatchObject({ journalEntriesCreated: 1, journalEntryDuplicates: 1 });
      // The second acknowledgment has the first one's id: the queue holds one per posting key.
      const acks = await jobsOf<PostingAcknowledgedEvent>('finance.posting-results');
      expect(acks.filter((a) => a.payload.postingKey === 'revenue:ord-100')).toHaveLength(1);
    });

    it('maps kinds, sites and reasons, and books a posting without a site', async () => {
      await publish(
        postingRequest({
          postingKey: 'adjustment:rma-7:damaged',
          kind: 'inventory-adjustment',
          reference: 'rma-7',
          reasonCode: 'DAMAGED',
          amountCents: 1200,
          lines: [{ sku: 'F-2', location: 'WH-1', quantity: -1, amountCents: -1200 }],
        }),
        postingRequest({
          postingKey: 'refund:rma-7',
          kind: 'refund',
          reference: 'rma-7',
          amountCents: 2500,
          lines: [{ sku: 'F-2', location: null, quantity: 1, amountCents: 2500 }],
        }),
      );
      const entries = await eventually(
        () => journal('reference=rma-7'),
        (p) => p.totalItems === 2,
        15_000,
        50,
      );
      expect(
        entries.items
          .map((e) => [e.postingKey, e.type, e.amount, e.reasonCode, e.lines])
          .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
      ).toEqual([
        [
          'adjustment:rma-7:damaged',
          'INV_ADJ',
          '12.00',
          'DAMAGED',
          [{ itemNo: 'ITM-F-2', siteCode: 'S-WH-1', qty: -1, amount: '-12.00' }],
        ],
        [
          'refund:rma-7',
          'REFUND',
          '25.00',
          null,
          [{ itemNo: 'ITM-F-2', siteCode: null, qty: 1, amount: '25.00' }],
        ],
      ]);
    });

    it('dead-letters at once a posting the ERP refuses (422) or whose SKU has no ERP item, and books nothing', async () => {
      const refused = postingRequest({
        postingKey: 'revenue:ord-bad',
        reference: 'ord-bad',
        lines: [{ sku: 'F-BAD', location: 'WH-1', quantity: 1, amountCents: 5000 }],
      });
      const unmapped = postingRequest({
        postingKey: 'revenue:ord-unmapped',
        reference: 'ord-unmapped',
        lines: [{ sku: 'F-NONE', location: 'WH-1', quantity: 1, amountCents: 5000 }],
      });
      await publish(refused, unmapped);
      const letters = await eventually(
        () => backends.deadLetters.list({ queue: 'erp.postings', status: 'open' }),
        (l) => [refused.id, unmapped.id].every((id) => l.items.some((d) => d.jobId === id)),
        15_000,
        50,
      );
      const kinds = Object.fromEntries(letters.items.map((d) => [d.jobId, [d.errorKind, d.attemptsMade]]));
      expect(kinds[refused.id]).toEqual(['rejected', 1]);
      expect(kinds[unmapped.id]).toEqual(['unmapped', 1]);
      expect((await journal('reference=ord-bad')).totalItems).toBe(0);
      expect((await journal('reference=ord-unmapped')).totalItems).toBe(0);
      const acks = await jobsOf<PostingAcknowledgedEvent>('finance.posting-results');
      expect(acks.map((a) => a.payload.postingKey)).not.toContain('revenue:ord-bad');
    });
  });
});
