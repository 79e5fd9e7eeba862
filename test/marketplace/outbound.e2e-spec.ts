import { loadConfig } from '@stockbridge/config';
import { AvailabilityReadModel } from '@stockbridge/read-model';
import { Redis } from 'ioredis';
import { buildOpsApp } from '../../apps/ops/src/app';
import { OpsConfig } from '../../apps/ops/src/ops.config';
import { HttpClient } from '../support/http';
import { type RunningApp, urlOf } from '../support/platform';
import { CHANNEL, LOCATIONS, MarketplaceHarness } from './marketplace-harness';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  timeoutMs = 20_000,
): Promise<T> {
  const started = Date.now();
  for (;;) {
    const out = await probe();
    if (out !== undefined && out !== false) return out;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

interface QuantityUpdate {
  callId: number;
  sku: string;
  quantity: number;
  at: string;
}

/** Every quantity update the marketplace applied to `sku`, oldest first. */
async function updatesOf(h: MarketplaceHarness, sku: string): Promise<QuantityUpdate[]> {
  const res = await h.admin.request<{ items: QuantityUpdate[] }>(
    'GET',
    `/admin/marketplace/quantity-updates?sku=${sku}&pageSize=500`,
  );
  return res.body.items;
}

describe('marketplace outbound quantities', () => {
  const unlisted = 'MK-00007';
  let h: MarketplaceHarness;
  let ops: RunningApp;
  let opsHttp: HttpClient;
  const opsToken = 'ops-marketplace-tester-token';

  beforeAll(async () => {
    h = await MarketplaceHarness.start('mkt_outbound', {
      skus: 40,
      unlisted: [unlisted],
      policy: { bufferPercent: 20, holdback: 2 },
    });
    const app = await buildOpsApp(
      loadConfig(OpsConfig, { ...h.platform.baseEnv(), OPS_ADMIN_TOKENS: `tester:${opsToken}` }),
    );
    await app.listen({ port: 0, host: '127.0.0.1' });
    ops = { app, url: urlOf(app) };
    opsHttp = new HttpClient(ops.url, { authorization: `Bearer ${opsToken}` });
  });

  afterAll(async () => {
    await opsHttp?.close();
    await ops?.app.close();
    await h?.stop();
  });

  it('lists every figure at first start and follows each change', async () => {
    await h.converged(20_000);
    // 200 on hand over the pool, 20 % withheld, then 2: 158 per listing.
    expect((await h.listings()).get('MK-00000')).toBe(158);
    await h.movement('MK-00001', 'adjust', -50);
    await h.movement('MK-00002', 'count', 0, LOCATIONS[1]);
    await h.converged(10_000);
    const listed = await h.listings();
    expect(listed.get('MK-00001')).toBe(118);
    expect(listed.get('MK-00002')).toBe(78);
  });

  it('dead-letters a SKU the marketplace does not list while the rest of its batch applies; a replay pushes it again', async () => {
    await h.converged(20_000);
    const letters = () =>
      h.platform.db.query<{
        id: string;
        reason: string;
        payload: { sku: string; quantity: number; code: string };
        error_kind: string;
        status: string;
      }>(`SELECT * FROM dead_letters WHERE queue = 'marketplace.listing-updates'`);
    // A resync compares what the marketplace lists: the unlisted SKU was left alone at the first start.
    expect((await letters()).rows).toEqual([]);
    expect((await h.listings()).has(unlisted)).toBe(false);

    // Three changes reach the app together (it was down; the feed kept them), so they go in one call.
    await h.stopApp();
    for (const sku of ['MK-00006', unlisted, 'MK-00008']) await h.movement(sku, 'adjust', -10);
    await h.startApp();
    await h.converged(20_000);
    const [letter] = (await letters()).rows;
    expect(letter).toMatchObject({ error_kind: 'rejected', status: 'open' });
    // 190 on hand: 152 − 2.
    expect(letter.payload).toMatchObject({ sku: unlisted, quantity: 150, code: '25702' });
    expect(letter.reason).toContain(`SKU ${unlisted} is not available`);
    const listed = await h.listings();
    expect([listed.get('MK-00006'), listed.has(unlisted), listed.get('MK-00008')]).toEqual([150, false, 150]);
    const call = await h.platform.db.query<{ requested: number; applied: number; skus: string[] }>(
      `SELECT c.requested, c.applied, array_agg(u.sku ORDER BY u.sku) AS skus
         FROM sandbox_marketplace.bulk_calls c JOIN sandbox_marketplace.quantity_updates u ON u.call_id = c.id
        WHERE c.id = (SELECT max(call_id) FROM sandbox_marketplace.quantity_updates WHERE sku = 'MK-00006')
        GROUP BY c.id, c.requested, c.applied`,
    );
    expect(call.rows[0]).toEqual({ requested: 3, applied: 2, skus: ['MK-00006', 'MK-00008'] });
    expect((await h.status()).refused).toBe(1);

    // Until the operator acts, further changes of it are held: no call, no second letter.
    const rejected = (await h.stats()).skuUpdatesRejected;
    await h.movement(unlisted, 'adjust', -5);
    await sleep(1_000);
    await h.converged(10_000);
    expect((await h.stats()).skuUpdatesRejected).toBe(rejected);
    expect((await letters()).rows).toHaveLength(1);

    // The operator lists the SKU on the marketplace, then replays the letter through ops: its figure now.
    await h.list([unlisted], 0);
    const replay = await opsHttp.request('POST', `/v1/dead-letters/${letter.id}/replay`);
    expect(replay.status).toBe(200);
    // 185 on hand: 148 − 2.
    await until('the replayed SKU listed', async () => (await h.listings()).get(unlisted) === 146);
    expect((await h.status()).refused).toBe(0);
    expect((await letters()).rows.map((r) => r.status)).toEqual(['replayed']);
  });

  it('sends only the latest figure of a SKU changed many times while its push is pending', async () => {
    await h.converged(20_000);
    const sku = 'MK-00010';
    const seen = (await updatesOf(h, sku)).length;
    // A slow marketplace: the first push is in flight while the next nineteen changes arrive.
    await h.faults({ latencyMs: 4_000 });
    let landed: number;
    try {
      await h.movement(sku, 'adjust', -1);
      await sleep(600);
      await Promise.all(Array.from({ length: 19 }, () => h.movement(sku, 'adjust', -1)));
      landed = Date.now();
    } finally {
      await h.faults({ latencyMs: 0 });
    }
    await h.converged(20_000);
    const sent = (await updatesOf(h, sku)).slice(seen);
    // The first call (199 on hand: 159 − 2) answered after every later change had landed...
    expect(Date.parse(sent[0].at)).toBeGreaterThan(landed);
    // ...and of those nineteen figures only the last was sent (180 on hand: 144 − 2).
    expect(sent.map((u) => u.quantity)).toEqual([157, 142]);
  });

  it('holds every call for the Retry-After of a 429', async () => {
    await h.converged(20_000);
    const start = await h.stats();
    await h.faults({ tooManyRequestsRate: 1, retryAfterSeconds: 3 });
    let throttledAt: number;
    try {
      await h.movement('MK-00011', 'adjust', -10);
      await until('a 429', async () => (await h.stats()).faulted > start.faulted, 10_000);
      throttledAt = Date.now();
    } finally {
      await h.faults({ tooManyRequestsRate: 0 });
    }
    await until('the update applied', async () => (await h.stats()).bulkUpdateCalls > start.bulkUpdateCalls);
    const appliedAfter = Date.now() - throttledAt;
    const end = await h.stats();
    // One 429, and no call before its Retry-After ran out (100 ms of polling slack).
    expect(end.faulted - start.faulted).toBe(1);
    expect(appliedAfter).toBeGreaterThanOrEqual(2_800);
    await h.converged(10_000);
  });

  it('finishes the call in flight when it shuts down, and records it', async () => {
    await h.converged(20_000);
    const sku = 'MK-00012';
    const calls = (await h.stats()).bulkUpdateCalls;
    await h.faults({ latencyMs: 1_500 });
    try {
      await h.movement(sku, 'adjust', -20);
      await until('the change pending', async () => (await h.status()).pending > 0);
      // The pusher takes it at once; the marketplace answers 1.5 s later.
      await sleep(300);
      const closing = Date.now();
      await h.stopApp();
      // The close waited for the marketplace's answer.
      expect(Date.now() - closing).toBeGreaterThan(500);
    } finally {
      await h.faults({ latencyMs: 0 });
    }
    expect((await h.stats()).bulkUpdateCalls).toBe(calls + 1);
    // 180 on hand: 144 − 2, applied and recorded as sent: nothing left pending for the next leader.
    expect((await h.listings()).get(sku)).toBe(142);
    const row = await h.platform.db.query<{ pending: boolean; sent_quantity: number }>(
      `SELECT pending, sent_quantity FROM marketplace_listings WHERE sku = $1`,
      [sku],
    );
    expect(row.rows[0]).toEqual({ pending: false, sent_quantity: 142 });
    await h.startApp();
    await h.converged(10_000);
  });

  it('resyncs listings changed behind the platform’s back, asked for through ops', async () => {
    await h.converged(20_000);
    const changed = ['MK-00020', 'MK-00021', 'MK-00022'];
    await h.list(changed, 999);
    const asked = await opsHttp.request<{ id: string; status: string; trigger: string }>(
      'POST',
      `/v1/channels/${CHANNEL}/resync`,
    );
    expect(asked.status).toBe(202);
    expect(asked.body).toMatchObject({ trigger: 'ops', status: 'requested' });
    const done = await until('the resync', async () => {
      const r = await opsHttp.request<{ status: string; corrected: number; listed: number; skus: number }>(
        'GET',
        `/v1/channels/${CHANNEL}/resyncs/${asked.body.id}`,
      );
      return r.body.status === 'done' ? r.body : undefined;
    });
    expect(done).toMatchObject({ corrected: 3, listed: 40, skus: 40 });
    await h.converged(10_000);
    const audit = await h.platform.db.query(`SELECT * FROM audit_log WHERE action = 'marketplace.resync'`);
    expect(audit.rows).toHaveLength(1);
    expect((await opsHttp.request('POST', '/v1/channels/nope/resync')).status).toBe(404);
  });

  it('answers resyncs and its status on its own API, with the service token only', async () => {
    await h.converged(20_000);
    const api = h.appClient();
    const anonymous = new HttpClient(h.app!.url);
    try {
      const asked = await api.request<{ id: string; trigger: string; requestedBy: string }>(
        'POST',
        '/v1/marketplace/resync',
        { body: { requestedBy: 'alice' } },
      );
      expect(asked.status).toBe(202);
      expect(asked.body).toMatchObject({ trigger: 'api', requestedBy: 'alice' });
      const done = await until('the resync', async () => {
        const r = await api.request<{ status: string; skus: number; corrected: number }>(
          'GET',
          `/v1/marketplace/resyncs/${asked.body.id}`,
        );
        return r.body.status === 'done' ? r.body : undefined;
      });
      expect(done).toMatchObject({ skus: 40, corrected: 0 });
      // Every SKU pending, and settled without a call: the marketplace holds every figure already.
      await h.converged(10_000);
      const status = await api.request('GET', '/v1/marketplace/status');
      expect(status.body).toEqual({
        channel: CHANNEL,
        marketplace: 'ebay',
        leading: true,
        listings: 40,
        pending: 0,
        oldestPendingSeconds: 0,
        refused: 0,
      });
      expect((await api.request('GET', '/v1/marketplace/resyncs/not-a-uuid')).status).toBe(400);
      const unknown = await api.request(
        'GET',
        '/v1/marketplace/resyncs/00000000-0000-4000-8000-000000000000',
      );
      expect(unknown.status).toBe(404);
      expect(unknown.contentType).toContain('application/problem+json');
      const badBody = await api.request('POST', '/v1/marketplace/resync', { body: { requestedBy: 'a b' } });
      expect(badBody.status).toBe(400);
      expect((await anonymous.request('POST', '/v1/marketplace/resync', { body: {} })).status).toBe(401);
      expect((await anonymous.request('GET', '/v1/marketplace/status')).status).toBe(401);
    } finally {
      await api.close();
      await anonymous.close();
    }
  });

  it('resyncs when the change feed is lost with Redis, and follows changes again', async () => {
    await h.converged(20_000);
    const redis = new Redis(h.platform.env.redisUrl);
    try {
      const prefix = h.platform.env.redisPrefix;
      // What Redis coming back empty does to the feed: the stream, its group and the registration are gone.
      await redis.del(`${prefix}availability:changes:${CHANNEL}`, `${prefix}availability:feeds`);
      const resync = await until('a feed-lost resync', async () => {
        const r = await h.platform.db.query<{ id: string; status: string }>(
          `SELECT id, status FROM marketplace_resyncs WHERE trigger = 'feed-lost'`,
        );
        return r.rows[0];
      });
      expect(resync.id).toBeDefined();
      await until(
        'the feed registered again',
        async () => (await redis.sismember(`${prefix}availability:feeds`, CHANNEL)) === 1,
      );
    } finally {
      redis.disconnect();
    }
    await h.movement('MK-00030', 'adjust', -30);
    await h.converged(20_000);
    expect((await h.listings()).get('MK-00030')).toBe(134);
  });
});

describe('marketplace staleness', () => {
  let h: MarketplaceHarness;
  let redis: Redis;

  beforeAll(async () => {
    h = await MarketplaceHarness.start('mkt_stale', {
      skus: 6,
      policy: { stalenessSeconds: 5, staleMode: 'zero' },
    });
    redis = new Redis(h.platform.env.redisUrl);
  });

  afterAll(async () => {
    redis?.disconnect();
    await h?.stop();
  });

  it('sends the conservative figure within a cycle once the data goes quiet, and the normal one when it flows', async () => {
    const model = new AvailabilityReadModel(redis, h.platform.env.redisPrefix);
    await until('the fresh figures listed', async () => {
      const listed = await h.listings();
      return h.skus.every((s) => listed.get(s) === 200);
    });
    const [figure] = await model.read(CHANNEL, [h.skus[0]]);
    const staleAt = Date.parse(figure.staleAt!);
    expect(staleAt).toBeGreaterThan(Date.now());
    // Neither the WMS nor the ERP reports anything: past the limit, every listing goes to 0.
    await until('the conservative figures', async () => {
      const listed = await h.listings();
      return h.skus.every((s) => listed.get(s) === 0);
    });
    // Within one cycle of the pusher (MARKETPLACE_IDLE_MS 200 ms), a call, and this test's polling.
    expect(Date.now() - staleAt).toBeLessThan(1_500);
    // Events resume for one SKU: its normal figure goes out, the others stay conservative.
    for (const location of LOCATIONS) await h.movement(h.skus[0], 'count', 90, location);
    await until('the normal figure again', async () => (await h.listings()).get(h.skus[0]) === 180);
    const listed = await h.listings();
    expect(h.skus.slice(1).map((s) => listed.get(s))).toEqual([0, 0, 0, 0, 0]);
    await h.converged(5_000);
  });
});
