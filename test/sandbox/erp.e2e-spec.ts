import type { HttpClient } from '../support/http';
import { type Page, useSandbox } from './harness';

describe('sandbox backends', () => {
  const sandbox = useSandbox('sandbox_erp');
  const { stats } = sandbox;
  let api: HttpClient;

  beforeAll(() => {
    ({ api } = sandbox);
  });

  describe('ERP', () => {
    beforeAll(async () => {
      const items = Array.from({ length: 250 }, (_, i) => ({
        itemNo: `I${String(i + 1).padStart(4, '0')}`,
        description: `item ${i + 1}`,
      }));
      items.push({ itemNo: 'SIX-PACK', description: 'six to a case', caseQty: 6 } as (typeof items)[number]);
      expect((await api.request('PUT', '/admin/erp/items', { body: { items } })).body).toEqual({
        upserted: 251,
      });
      expect(
        (
          await api.request('PUT', '/admin/erp/sites', {
            body: { sites: [{ siteCode: 'S1', name: 'East' }, { siteCode: 'S2' }] },
          })
        ).status,
      ).toBe(200);
      const onHand = await api.request('PUT', '/admin/erp/on-hand', {
        body: {
          rows: [
            { itemNo: 'I0001', siteCode: 'S1', qtyEach: 30 },
            { itemNo: 'I0002', siteCode: 'S1', qtyEach: 5 },
            { itemNo: 'I0001', siteCode: 'S2', qtyEach: 12 },
            { itemNo: 'SIX-PACK', siteCode: 'S1', qtyEach: 20 },
          ],
        },
      });
      expect(onHand.status).toBe(200);
    });

    it('pages the item master by item number', async () => {
      const first = await api.request<Page<{ itemNo: string; description: string; caseQty: number }>>(
        'GET',
        '/erp/api/v2/items?page=1&pageSize=100',
      );
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ page: 1, pageSize: 100, totalItems: 251, totalPages: 3 });
      expect(first.body.items).toHaveLength(100);
      expect(first.body.items[0]).toEqual({ itemNo: 'I0001', description: 'item 1', caseQty: 12 });
      const last = await api.request<Page<{ itemNo: string }>>(
        'GET',
        '/erp/api/v2/items?page=3&pageSize=100',
      );
      expect(last.body.items.map((i) => i.itemNo)).toEqual([
        ...Array.from({ length: 50 }, (_, i) => `I${String(i + 201).padStart(4, '0')}`),
        'SIX-PACK',
      ]);
      const defaults = await api.request<Page<unknown>>('GET', '/erp/api/v2/items');
      expect(defaults.body).toMatchObject({ page: 1, pageSize: 100 });
      expect((await api.request('GET', '/erp/api/v2/items?pageSize=501')).status).toBe(400);
      expect((await api.request('GET', '/erp/api/v2/items?page=0')).status).toBe(400);
    });

    it('keeps fields left out of an item upsert', async () => {
      await api.request('PUT', '/admin/erp/items', { body: { items: [{ itemNo: 'SIX-PACK' }] } });
      const page = await api.request<Page<{ itemNo: string; description: string; caseQty: number }>>(
        'GET',
        '/erp/api/v2/items?page=251&pageSize=1',
      );
      expect(page.body.items).toEqual([{ itemNo: 'SIX-PACK', description: 'six to a case', caseQty: 6 }]);
    });

    it('reports on hand per site in each and in whole cases of the item', async () => {
      const res = await api.request<Page<unknown>>('GET', '/erp/api/v2/on-hand?siteCode=S1&pageSize=2');
      expect(res.body).toMatchObject({ totalItems: 3, totalPages: 2 });
      expect(res.body.items).toEqual([
        { itemNo: 'I0001', siteCode: 'S1', qtyEach: 30, qtyCases: 2 },
        { itemNo: 'I0002', siteCode: 'S1', qtyEach: 5, qtyCases: 0 },
      ]);
      const second = await api.request<Page<unknown>>(
        'GET',
        '/erp/api/v2/on-hand?siteCode=S1&pageSize=2&page=2',
      );
      expect(second.body.items).toEqual([{ itemNo: 'SIX-PACK', siteCode: 'S1', qtyEach: 20, qtyCases: 3 }]);
      expect((await api.request<Page<unknown>>('GET', '/erp/api/v2/on-hand')).body.totalItems).toBe(4);
    });

    it('refuses on hand for an item the ERP does not know', async () => {
      const res = await api.request('PUT', '/admin/erp/on-hand', {
        body: { rows: [{ itemNo: 'NOPE', siteCode: 'S1', qtyEach: 1 }] },
      });
      expect(res.status).toBe(422);
      expect(res.contentType).toContain('application/problem+json');
    });

    it('refuses a commitment with an unknown item (422, its own error body) and stores nothing', async () => {
      const before = await stats();
      const res = await api.request('POST', '/erp/api/v2/commitments', {
        body: {
          externalRef: 'c-unknown',
          lines: [
            { itemNo: 'I0001', siteCode: 'S1', qty: 1, uom: 'EA' },
            { itemNo: 'GHOST', siteCode: 'S1', qty: 1, uom: 'EA' },
          ],
        },
      });
      expect(res.status).toBe(422);
      expect(res.contentType).toContain('application/json');
      expect(res.body).toMatchObject({ error: 'UNKNOWN_ITEM', itemNo: 'GHOST', message: expect.any(String) });
      const site = await api.request('POST', '/erp/api/v2/commitments', {
        body: { externalRef: 'c-unknown', lines: [{ itemNo: 'I0001', siteCode: 'S9', qty: 1, uom: 'EA' }] },
      });
      expect(site.status).toBe(422);
      expect(site.body).toMatchObject({ error: 'UNKNOWN_SITE', siteCode: 'S9' });
      expect(
        (await api.request<Page<unknown>>('GET', '/erp/api/v2/commitments?externalRef=c-unknown')).body
          .totalItems,
      ).toBe(0);
      const after = await stats();
      expect(after.erp.rejected - before.erp.rejected).toBe(2);
      expect(after.erp.commitmentCalls - before.erp.commitmentCalls).toBe(2);
      expect(after.erp.commitmentsCreated).toBe(before.erp.commitmentsCreated);
    });

    it('converts cases to each with the case quantity of the item', async () => {
      const res = await api.request<{
        commitmentId: number;
        externalRef: string;
        lines: unknown[];
        receivedAt: string;
      }>('POST', '/erp/api/v2/commitments', {
        body: {
          externalRef: 'c-cases',
          lines: [
            { itemNo: 'I0001', siteCode: 'S1', qty: 2, uom: 'CS' },
            { itemNo: 'SIX-PACK', siteCode: 'S1', qty: 2, uom: 'CS' },
            { itemNo: 'I0002', siteCode: 'S2', qty: 5, uom: 'EA' },
          ],
        },
      });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        commitmentId: expect.any(Number),
        externalRef: 'c-cases',
        lines: [
          { itemNo: 'I0001', siteCode: 'S1', qty: 24, uom: 'EA' },
          { itemNo: 'SIX-PACK', siteCode: 'S1', qty: 12, uom: 'EA' },
          { itemNo: 'I0002', siteCode: 'S2', qty: 5, uom: 'EA' },
        ],
        receivedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      });
    });

    it('commits once per externalRef, also when twins arrive together, and counts the duplicates', async () => {
      const before = await stats();
      const body = {
        externalRef: 'c-twins',
        lines: [{ itemNo: 'I0003', siteCode: 'S2', qty: 1, uom: 'CS' }],
      };
      const results = await Promise.all(
        Array.from({ length: 8 }, () =>
          api.request<{ commitmentId: number }>('POST', '/erp/api/v2/commitments', { body }),
        ),
      );
      expect(results.filter((r) => r.status === 201)).toHaveLength(1);
      expect(results.filter((r) => r.status === 200)).toHaveLength(7);
      expect(new Set(results.map((r) => r.body.commitmentId)).size).toBe(1);
      const again = await api.request('POST', '/erp/api/v2/commitments', {
        body: { ...body, lines: [{ itemNo: 'I0004', siteCode: 'S1', qty: 9, uom: 'EA' }] },
      });
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ externalRef: 'c-twins', lines: [{ itemNo: 'I0003', qty: 12 }] });
      const after = await stats();
      expect(after.erp.commitmentsCreated - before.erp.commitmentsCreated).toBe(1);
      expect(after.erp.commitmentDuplicates - before.erp.commitmentDuplicates).toBe(8);
      expect(after.erp.commitmentCalls - before.erp.commitmentCalls).toBe(9);
      const list = await api.request<Page<{ externalRef: string }>>(
        'GET',
        '/erp/api/v2/commitments?pageSize=500',
      );
      expect(list.body.items.filter((c) => c.externalRef === 'c-twins')).toHaveLength(1);
    });

    it('validates a commitment with problem+json', async () => {
      const res = await api.request('POST', '/erp/api/v2/commitments', {
        body: { externalRef: '', lines: [{ itemNo: 'I0001', siteCode: 'S1', qty: 0, uom: 'BOX' }] },
      });
      expect(res.status).toBe(400);
      expect(res.contentType).toContain('application/problem+json');
    });

    describe('journal entries', () => {
      const entry = (postingKey: string, extra: Record<string, unknown> = {}) => ({
        postingKey,
        type: 'REVENUE',
        amount: '39.8',
        currency: 'EUR',
        reference: 'ord-je-1',
        businessDate: '2025-11-28',
        lines: [
          { itemNo: 'I0001', siteCode: 'S1', qty: 2, amount: '39.80' },
          { itemNo: 'I0002', qty: 1, amount: '0' },
        ],
        ...extra,
      });
      const post = (body: Record<string, unknown>, key = String(body.postingKey)) =>
        api.request<Record<string, unknown>>('POST', '/erp/api/v2/journal-entries', {
          body,
          headers: { 'idempotency-key': key },
        });

      it('books an entry once per posting key, also when twins arrive together, and counts the duplicates', async () => {
        const before = await stats();
        const results = await Promise.all(Array.from({ length: 6 }, () => post(entry('rev:je-1'))));
        expect(results.filter((r) => r.status === 201)).toHaveLength(1);
        expect(results.filter((r) => r.status === 200)).toHaveLength(5);
        const created = results.find((r) => r.status === 201)!.body;
        expect(created).toEqual({ entryId: expect.stringMatching(/^JE-\d{8}$/), postingKey: 'rev:je-1' });
        expect(results.every((r) => r.body.entryId === created.entryId)).toBe(true);
        // A repeat that says something else is still the first entry.
        const changed = await post(entry('rev:je-1', { amount: '1.00', type: 'REFUND' }));
        expect(changed.status).toBe(200);
        expect(changed.body).toEqual(created);

        const list = await api.request<Page<Record<string, unknown>>>(
          'GET',
          '/erp/api/v2/journal-entries?reference=ord-je-1',
        );
        expect(list.body).toMatchObject({ totalItems: 1, page: 1 });
        expect(list.body.items[0]).toEqual({
          entryId: created.entryId,
          postingKey: 'rev:je-1',
          type: 'REVENUE',
          amount: '39.80',
          currency: 'EUR',
          reference: 'ord-je-1',
          reasonCode: null,
          businessDate: '2025-11-28',
          lines: [
            { itemNo: 'I0001', siteCode: 'S1', qty: 2, amount: '39.80' },
            { itemNo: 'I0002', siteCode: null, qty: 1, amount: '0.00' },
          ],
          receivedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        });
        const after = await stats();
        expect(after.erp.journalEntryCalls - before.erp.journalEntryCalls).toBe(7);
        expect(after.erp.journalEntriesCreated - before.erp.journalEntriesCreated).toBe(1);
        expect(after.erp.journalEntryDuplicates - before.erp.journalEntryDuplicates).toBe(6);
        expect(after.erp.commitmentCalls).toBe(before.erp.commitmentCalls);
      });

      it('finds entries by reference and by posting key, paged', async () => {
        for (const key of ['adj:je-2:a', 'adj:je-2:b', 'adj:je-2:c']) {
          const res = await post(
            entry(key, {
              type: 'INV_ADJ',
              reference: 'rma-je-2',
              reasonCode: 'DAMAGED',
              lines: [{ itemNo: 'I0001', siteCode: 'S2', qty: -1, amount: '-12.00' }],
            }),
          );
          expect(res.status).toBe(201);
        }
        const page = await api.request<Page<{ postingKey: string; reasonCode: string }>>(
          'GET',
          '/erp/api/v2/journal-entries?reference=rma-je-2&pageSize=2&page=2',
        );
        expect(page.body).toMatchObject({ totalItems: 3, totalPages: 2, pageSize: 2 });
        expect(page.body.items).toEqual([
          expect.objectContaining({ postingKey: 'adj:je-2:c', reasonCode: 'DAMAGED' }),
        ]);
        const one = await api.request<Page<{ postingKey: string }>>(
          'GET',
          '/erp/api/v2/journal-entries?postingKey=adj:je-2:b',
        );
        expect(one.body.items.map((e) => e.postingKey)).toEqual(['adj:je-2:b']);
      });

      it('refuses an entry with an unknown item or site (422, its own error body) and books nothing', async () => {
        const before = await stats();
        const item = await post(entry('rev:je-3', { lines: [{ itemNo: 'GHOST', qty: 1, amount: '1' }] }));
        expect(item.status).toBe(422);
        expect(item.body).toMatchObject({ error: 'UNKNOWN_ITEM', itemNo: 'GHOST' });
        const site = await post(
          entry('rev:je-3', { lines: [{ itemNo: 'I0001', siteCode: 'S9', qty: 1, amount: '1' }] }),
        );
        expect(site.status).toBe(422);
        expect(site.body).toMatchObject({ error: 'UNKNOWN_SITE', siteCode: 'S9' });
        expect(
          (await api.request<Page<unknown>>('GET', '/erp/api/v2/journal-entries?postingKey=rev:je-3')).body
            .totalItems,
        ).toBe(0);
        const after = await stats();
        expect(after.erp.journalEntriesRejected - before.erp.journalEntriesRejected).toBe(2);
      });

      it('answers bad input with problem+json that names the problem', async () => {
        const cases: [Record<string, unknown>, string | undefined, RegExp][] = [
          [entry('k-1'), undefined, /idempotency-key header is required/],
          [entry('k-1'), 'k-2', /must equal postingKey/],
          [entry('k-1', { amount: 12.5 }), 'k-1', /amount must be a decimal string/],
          [entry('k-1', { amount: '-1' }), 'k-1', /amount must be a decimal string/],
          [entry('k-1', { amount: '1.234' }), 'k-1', /amount must be a decimal string/],
          [entry('k-1', { type: 'BONUS' }), 'k-1', /type must be one of/],
          [entry('k-1', { currency: 'euro' }), 'k-1', /currency must be an ISO 4217 code/],
          [entry('k-1', { businessDate: '2025-02-30' }), 'k-1', /businessDate must be a calendar date/],
          [entry('k-1', { businessDate: '28.11.2025' }), 'k-1', /businessDate must be a date as YYYY-MM-DD/],
        ];
        for (const [body, key, detail] of cases) {
          const res = await api.request<{ detail: string }>('POST', '/erp/api/v2/journal-entries', {
            body,
            headers: key === undefined ? {} : { 'idempotency-key': key },
          });
          expect([res.status, res.contentType]).toEqual([
            400,
            expect.stringContaining('application/problem+json'),
          ]);
          expect(res.body.detail).toMatch(detail);
        }
        expect(
          (await api.request<Page<unknown>>('GET', '/erp/api/v2/journal-entries?postingKey=k-1')).body
            .totalItems,
        ).toBe(0);
      });
    });
  });
});
