import { Mappings } from '@stockbridge/mapping';
import { Backends } from '../support/backends';
import { waitForQueuesToDrain } from '../support/drain';
import { eventually, HttpClient } from '../support/http';
import { TestPlatform } from '../support/platform';

describe('reservation confirmed → outbox → system-oms creates the order, system-erp commits it', () => {
  let platform: TestPlatform;
  let backends: Backends;
  let web: HttpClient;

  const confirmOne = async (sku: string): Promise<string> => {
    const r = await web.reserve([{ sku, quantity: 1 }]);
    expect(r.status).toBe(201);
    const id = (r.body as { id: string }).id;
    const c = await web.request('POST', `/v1/reservations/${id}/confirm`);
    expect(c.status).toBe(200);
    return id;
  };
  const commitments = async (ref: string) =>
    (await backends.sandboxCall<{ totalItems: number }>('GET', `/erp/api/v2/commitments?externalRef=${ref}`))
      .totalItems;
  const orders = async (ref: string) =>
    (await backends.sandboxCall<{ totalItems: number }>('GET', `/oms/api/orders?orderRef=${ref}`)).totalItems;

  beforeAll(async () => {
    platform = await TestPlatform.start('resflow');
    await platform.seed({
      locations: [{ code: 'WH-1' }],
      skus: ['C-1', 'C-BAD'],
      channels: [{ code: 'web', pool: ['WH-1'] }],
      stock: [
        { sku: 'C-1', location: 'WH-1', onHand: 100 },
        { sku: 'C-BAD', location: 'WH-1', onHand: 100 },
      ],
    });
    backends = await Backends.start(platform);
    await backends.catalog({ skus: ['C-1'], locations: ['WH-1'] });
    // C-BAD is mapped to an item number the ERP does not know: the ERP answers 422.
    await backends.mappings.putXrefs('sku', [{ system: 'erp', externalCode: 'ITM-UNKNOWN', code: 'C-BAD' }]);
    web = new HttpClient(platform.storefront.url, {
      authorization: `Bearer ${await platform.apiKey('web')}`,
    });
  });

  afterAll(async () => {
    await web?.close();
    await backends?.stop();
    await platform?.stop();
  });

  it('creates one OMS order and one ERP commitment per confirmed reservation, also when confirmed twice', async () => {
    const id = await confirmOne('C-1');
    expect((await web.request('POST', `/v1/reservations/${id}/confirm`)).status).toBe(200);
    await eventually(
      async () => [await commitments(id), await orders(id)],
      ([c, o]) => c === 1 && o === 1,
      15_000,
      50,
    );
    // Every job of both confirmations done (allocation.orders has no consumer here): still one of each.
    await waitForQueuesToDrain(platform, { queues: ['erp.commitments', 'oms.orders'] });
    expect(await commitments(id)).toBe(1);
    expect(await orders(id)).toBe(1);
    const outbox = await platform.db.query<{ n: string }>(
      `SELECT count(*) AS n FROM outbox_events WHERE envelope->'payload'->>'reservationId' = $1`,
      [id],
    );
    expect(Number(outbox.rows[0].n)).toBe(1);
    const event = await platform.db.query<{ correlation: string }>(
      `SELECT envelope->>'correlationId' AS correlation FROM outbox_events WHERE envelope->'payload'->>'reservationId' = $1`,
      [id],
    );
    expect(event.rows[0].correlation).toMatch(/\S/);
  });

  it('dead-letters a commitment the ERP rejects (422) at once, with its reason, and lands it once the mapping is fixed and it is replayed', async () => {
    const id = await confirmOne('C-BAD');
    const found = await eventually(
      () => backends.deadLetters.list({ queue: 'erp.commitments', status: 'open' }),
      (l) =>
        l.items.some(
          (d) => (d.payload as { payload: { reservationId: string } }).payload.reservationId === id,
        ),
      15_000,
      50,
    );
    const letter = found.items.find(
      (d) => (d.payload as { payload: { reservationId: string } }).payload.reservationId === id,
    )!;
    expect(letter.errorKind).toBe('rejected');
    expect(letter.attemptsMade).toBe(1);
    expect(letter.reason).toMatch(/422.*UNKNOWN_ITEM/);
    // The OMS side is independent of the ERP's refusal.
    await eventually(
      () => orders(id),
      (n) => n === 1,
      15_000,
      50,
    );
    expect(await commitments(id)).toBe(0);

    // The operator fixes the cross-reference and replays the letter through the ops API.
    await backends.sandboxCall('PUT', '/admin/erp/items', { items: [{ itemNo: 'ITM-C-BAD' }] });
    const fixed = await backends.opsHttp.request('PUT', '/v1/mappings/skus', {
      body: { items: [{ system: 'erp', externalCode: 'ITM-C-BAD', sku: 'C-BAD' }] },
    });
    expect(fixed.status).toBe(200);
    // system-erp drops its mapping cache on the change notification: replay once it reads the new item.
    const erpMappings = backends.erp.app.get(Mappings);
    await eventually(
      () => erpMappings.externalSku('erp', 'C-BAD').catch(() => null),
      (item) => item === 'ITM-C-BAD',
      5_000,
      10,
    );
    const replay = await backends.opsHttp.request<{ status: string; replayJobId: string }>(
      'POST',
      `/v1/dead-letters/${letter.id}/replay`,
    );
    expect(replay.status).toBe(200);
    expect(replay.body.status).toBe('replayed');
    await eventually(
      () => commitments(id),
      (n) => n === 1,
      15_000,
      50,
    );

    const audit = await backends.opsHttp.request<
      | { items?: { actor: string; action: string; targetId: string | null }[] }
      | { actor: string; action: string; targetId: string | null }[]
    >('GET', '/v1/audit?limit=50');
    expect(audit.status).toBe(200);
    const entries = Array.isArray(audit.body) ? audit.body : (audit.body.items ?? []);
    expect(entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ actor: 'tester', action: 'mapping.sku.put' }),
        expect.objectContaining({ actor: 'tester', action: 'dead-letter.replay', targetId: letter.id }),
      ]),
    );
    // Replaying a replayed letter is refused.
    expect((await backends.opsHttp.request('POST', `/v1/dead-letters/${letter.id}/replay`)).status).toBe(409);
  });
});
