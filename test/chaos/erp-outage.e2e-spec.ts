import { Backends } from '../support/backends';
import { waitForQueuesToDrain } from '../support/drain';
import { eventually, HttpClient } from '../support/http';
import { TestPlatform } from '../support/platform';
import { ErpPort } from '../../apps/system-erp/src/erp.port';

const OUTAGE_MS = Number(process.env.ERP_OUTAGE_MS ?? 30_000);
const RESERVATIONS = 200;

describe('ERP down for 30 s while 200 reservations are confirmed', () => {
  let platform: TestPlatform;
  let backends: Backends;
  let web: HttpClient;

  beforeAll(async () => {
    platform = await TestPlatform.start('erpoutage');
    await platform.seed({
      locations: [{ code: 'WH-1' }],
      skus: ['O-1'],
      channels: [{ code: 'web', pool: ['WH-1'] }],
      stock: [{ sku: 'O-1', location: 'WH-1', onHand: 1000 }],
    });
    backends = await Backends.start(platform);
    await backends.catalog({ skus: ['O-1'], locations: ['WH-1'] });
    web = new HttpClient(platform.storefront.url, {
      authorization: `Bearer ${await platform.apiKey('web')}`,
    });
  });

  afterAll(async () => {
    await web?.close();
    await backends?.stop();
    await platform?.stop();
  });

  it('opens the breaker, dead-letters nothing, and commits every reservation exactly once after recovery', async () => {
    await backends.sandboxCall('PUT', '/admin/faults/erp', { outage: true });
    const erp = backends.erp.app.get(ErpPort);
    const states = new Set<string>();
    const watch = setInterval(() => states.add(erp.circuit()), 50);
    const downSince = Date.now();
    try {
      const ids: string[] = [];
      for (let i = 0; i < RESERVATIONS; i += 20) {
        const batch = await Promise.all(
          Array.from({ length: 20 }, async () => {
            const r = await web.reserve([{ sku: 'O-1', quantity: 1 }]);
            const id = (r.body as { id: string }).id;
            const c = await web.request('POST', `/v1/reservations/${id}/confirm`);
            expect(c.status).toBe(200);
            return id;
          }),
        );
        ids.push(...batch);
      }
      expect(new Set(ids).size).toBe(RESERVATIONS);
      await new Promise((r) => setTimeout(r, Math.max(0, OUTAGE_MS - (Date.now() - downSince))));
      const during = await backends.stats();
      expect(during.erp.commitmentsCreated).toBe(0);
      expect(states.has('open')).toBe(true);
      expect((await backends.deadLetters.list({ queue: 'erp.commitments' })).total).toBe(0);

      await backends.sandboxCall('DELETE', '/admin/faults');
      const after = await eventually(
        () => backends.stats(),
        (s) => s.erp.commitmentsCreated === RESERVATIONS,
        60_000,
        250,
      );
      expect(after.erp.commitmentsCreated).toBe(RESERVATIONS);
      // Every straggler retry run (allocation.orders has no consumer here): still one commitment each.
      await waitForQueuesToDrain(platform, { queues: ['erp.commitments'], timeoutMs: 60_000 });
      const settled = await backends.stats();
      expect(settled.erp.commitmentsCreated).toBe(RESERVATIONS);
      const perRef = await platform.db.query<{ n: string }>(
        `SELECT count(*) AS n FROM (SELECT external_ref FROM sandbox_erp.commitments GROUP BY external_ref HAVING count(*) > 1) d`,
      );
      expect(Number(perRef.rows[0].n)).toBe(0);
      expect((await backends.deadLetters.list({ queue: 'erp.commitments' })).total).toBe(0);
      const faulted = (during as unknown as { erp: { faulted: number } }).erp.faulted;
      console.info(
        `ERP outage: ${faulted} calls reached the failing ERP for ${RESERVATIONS} jobs; circuit states seen: ${[...states].join(', ')}`,
      );
      // Without the breaker every job would spend its attempts against the dead ERP (3 calls each, many times).
      expect(faulted).toBeLessThan(RESERVATIONS);
    } finally {
      clearInterval(watch);
    }
  });

  it('honours the ERP rate limit: 429 with Retry-After pauses the queue, no attempt is spent, every commitment lands once', async () => {
    await backends.sandboxCall('PUT', '/admin/faults/erp', { rateLimitPerSecond: 5, retryAfterSeconds: 1 });
    try {
      const before = await backends.stats();
      const ids = await Promise.all(
        Array.from({ length: 30 }, async () => {
          const r = await web.reserve([{ sku: 'O-1', quantity: 1 }]);
          expect({ status: r.status, body: r.status === 201 ? null : r.body }).toEqual({
            status: 201,
            body: null,
          });
          const id = (r.body as { id: string }).id;
          const c = await web.request('POST', `/v1/reservations/${id}/confirm`);
          expect({ status: c.status, body: c.status === 200 ? null : c.body }).toEqual({
            status: 200,
            body: null,
          });
          return id;
        }),
      );
      const after = await eventually(
        () => backends.stats(),
        (s) => s.erp.commitmentsCreated === before.erp.commitmentsCreated + ids.length,
        60_000,
        250,
      );
      const throttled =
        (after as unknown as { erp: { throttled: number } }).erp.throttled -
        (before as unknown as { erp: { throttled: number } }).erp.throttled;
      console.info(`ERP rate limit: ${throttled} calls answered 429 while 30 commitments went through`);
      expect(throttled).toBeGreaterThan(0);
      const jobs = (await backends.queue('erp.commitments').getCompleted(0, 1000)).filter((j) =>
        ids.includes((j.data as { payload: { reservationId: string } }).payload.reservationId),
      );
      expect(jobs).toHaveLength(ids.length);
      // Started again after a 429, yet each counts one attempt: the successful one.
      expect(jobs.map((j) => j.attemptsMade)).toEqual(ids.map(() => 1));
      expect(Math.max(...jobs.map((j) => j.attemptsStarted))).toBeGreaterThan(1);
      expect((await backends.deadLetters.list({ queue: 'erp.commitments' })).total).toBe(0);
      const doubled = await platform.db.query<{ n: string }>(
        `SELECT count(*) AS n FROM (SELECT external_ref FROM sandbox_erp.commitments GROUP BY external_ref HAVING count(*) > 1) d`,
      );
      expect(Number(doubled.rows[0].n)).toBe(0);
    } finally {
      await backends.sandboxCall('DELETE', '/admin/faults');
    }
  });
});
