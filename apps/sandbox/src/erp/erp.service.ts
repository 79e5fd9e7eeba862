import { Injectable } from '@nestjs/common';
import { ProblemError } from '@stockbridge/app-platform';
import type { PoolClient } from 'pg';
import { type Page, pageOf, type Paging } from '../infra/paging';
import { SandboxDb } from '../infra/sandbox-db';
import { toEach, wholeCases } from '../infra/units';
import type {
  CommitmentView,
  CreateCommitmentInput,
  ErpItemInput,
  ErpItemView,
  ErpOnHandInput,
  ErpOnHandView,
  ErpSiteInput,
} from './erp.dto';

/** The ERP's refusal of a document that names an item or a site it does not know. */
export type UnknownReference =
  | { error: 'UNKNOWN_ITEM'; itemNo: string; message: string }
  | { error: 'UNKNOWN_SITE'; siteCode: string; message: string };

export type CommitmentOutcome =
  { status: 201 | 200; body: CommitmentView } | { status: 422; body: UnknownReference };

export interface ErpStats {
  commitmentCalls: number;
  commitmentsCreated: number;
  commitmentDuplicates: number;
  rejected: number;
  journalEntryCalls: number;
  journalEntriesCreated: number;
  journalEntryDuplicates: number;
  journalEntriesRejected: number;
  /** Rows of on hand (item × site) the ERP holds. */
  onHandRows: number;
}

interface CommitmentRow {
  id: string;
  external_ref: string;
  lines: CommitmentView['lines'];
  received_at: Date;
}

const toCommitment = (r: CommitmentRow): CommitmentView => ({
  commitmentId: Number(r.id),
  externalRef: r.external_ref,
  lines: r.lines,
  receivedAt: r.received_at.toISOString(),
});

/** The last entry per key wins: one upsert statement may not touch a row twice. */
function lastPerKey<T>(rows: T[], key: (row: T) => string): T[] {
  return [...new Map(rows.map((r) => [key(r), r])).values()];
}

/** The stand-in ERP: item master, sites, on hand in each, and order commitments. */
@Injectable()
export class ErpService {
  constructor(private readonly db: SandboxDb) {}

  /** Adds new items and updates the given fields of existing ones (a field left out keeps its value). */
  async upsertItems(items: ErpItemInput[]): Promise<number> {
    const rows = lastPerKey(items, (i) => i.itemNo);
    const values = [
      rows.map((r) => r.itemNo),
      rows.map((r) => r.description ?? null),
      rows.map((r) => r.caseQty ?? null),
    ];
    await this.db.tx(async (sql) => {
      await sql.query(
        `INSERT INTO sandbox_erp.items (item_no, description, case_qty)
         SELECT n, coalesce(d, ''), coalesce(c, 12) FROM unnest($1::text[], $2::text[], $3::int[]) AS u(n, d, c)
         ON CONFLICT (item_no) DO NOTHING`,
        values,
      );
      await sql.query(
        `UPDATE sandbox_erp.items i SET description = coalesce(u.d, i.description), case_qty = coalesce(u.c, i.case_qty)
           FROM unnest($1::text[], $2::text[], $3::int[]) AS u(n, d, c) WHERE i.item_no = u.n`,
        values,
      );
    });
    return rows.length;
  }

  async upsertSites(sites: ErpSiteInput[]): Promise<number> {
    const rows = lastPerKey(sites, (s) => s.siteCode);
    const values = [rows.map((r) => r.siteCode), rows.map((r) => r.name ?? null)];
    await this.db.tx(async (sql) => {
      await sql.query(
        `INSERT INTO sandbox_erp.sites (site_code, name) SELECT c, coalesce(n, '') FROM unnest($1::text[], $2::text[]) AS u(c, n)
         ON CONFLICT (site_code) DO NOTHING`,
        values,
      );
      await sql.query(
        `UPDATE sandbox_erp.sites s SET name = coalesce(u.n, s.name) FROM unnest($1::text[], $2::text[]) AS u(c, n) WHERE s.site_code = u.c`,
        values,
      );
    });
    return rows.length;
  }

  async upsertOnHand(input: ErpOnHandInput[]): Promise<number> {
    const rows = lastPerKey(input, (r) => `${r.itemNo}\u0000${r.siteCode}`);
    return this.db.tx(async (sql) => {
      const unknownItem = await firstUnknown(
        sql,
        'items',
        'item_no',
        rows.map((r) => r.itemNo),
      );
      if (unknownItem)
        throw ProblemError.of(
          422,
          'unknown-item',
          `Item ${unknownItem} is not in the ERP item master; PUT /admin/erp/items first.`,
        );
      const unknownSite = await firstUnknown(
        sql,
        'sites',
        'site_code',
        rows.map((r) => r.siteCode),
      );
      if (unknownSite)
        throw ProblemError.of(
          422,
          'unknown-site',
          `Site ${unknownSite} is not an ERP site; PUT /admin/erp/sites first.`,
        );
      const res = await sql.query(
        `INSERT INTO sandbox_erp.on_hand (item_no, site_code, qty_each)
         SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[])
         ON CONFLICT (item_no, site_code) DO UPDATE SET qty_each = EXCLUDED.qty_each`,
        [rows.map((r) => r.itemNo), rows.map((r) => r.siteCode), rows.map((r) => r.qtyEach)],
      );
      return res.rowCount ?? 0;
    });
  }

  async listItems(p: Paging): Promise<Page<ErpItemView>> {
    const [count, rows] = await Promise.all([
      this.db.query<{ n: string }>('SELECT count(*) AS n FROM sandbox_erp.items'),
      this.db.query<{ item_no: string; description: string; case_qty: number }>(
        'SELECT item_no, description, case_qty FROM sandbox_erp.items ORDER BY item_no LIMIT $1 OFFSET $2',
        [p.limit, p.offset],
      ),
    ]);
    return pageOf(
      p,
      Number(count.rows[0].n),
      rows.rows.map((r) => ({ itemNo: r.item_no, description: r.description, caseQty: r.case_qty })),
    );
  }

  async listOnHand(siteCode: string | undefined, p: Paging): Promise<Page<ErpOnHandView>> {
    const [count, rows] = await Promise.all([
      this.db.query<{ n: string }>(
        'SELECT count(*) AS n FROM sandbox_erp.on_hand WHERE $1::text IS NULL OR site_code = $1',
        [siteCode ?? null],
      ),
      this.db.query<{ item_no: string; site_code: string; qty_each: string; case_qty: number }>(
        `SELECT o.item_no, o.site_code, o.qty_each, i.case_qty
           FROM sandbox_erp.on_hand o JOIN sandbox_erp.items i USING (item_no)
          WHERE $1::text IS NULL OR o.site_code = $1
          ORDER BY o.item_no, o.site_code LIMIT $2 OFFSET $3`,
        [siteCode ?? null, p.limit, p.offset],
      ),
    ]);
    return pageOf(
      p,
      Number(count.rows[0].n),
      rows.rows.map((r) => ({
        itemNo: r.item_no,
        siteCode: r.site_code,
        qtyEach: Number(r.qty_each),
        qtyCases: wholeCases(Number(r.qty_each), r.case_qty),
      })),
    );
  }

  /**
   * Records an order commitment once per externalRef. Unknown items or sites are refused (422) and
   * nothing is stored but the call; a repeat answers the stored commitment (200). Every call is counted.
   */
  async createCommitment(input: CreateCommitmentInput): Promise<CommitmentOutcome> {
    return this.db.tx(async (sql) => {
      const outcome = await this.commit(sql, input);
      await sql.query(
        `INSERT INTO sandbox_erp.calls (kind, external_ref, status) VALUES ('commitment', $1, $2)`,
        [input.externalRef, outcome.status],
      );
      return outcome;
    });
  }

  private async commit(sql: PoolClient, input: CreateCommitmentInput): Promise<CommitmentOutcome> {
    const stored = await findCommitment(sql, input.externalRef);
    if (stored) return { status: 200, body: stored };
    const items = await sql.query<{ item_no: string; case_qty: number }>(
      'SELECT item_no, case_qty FROM sandbox_erp.items WHERE item_no = ANY($1::text[])',
      [input.lines.map((l) => l.itemNo)],
    );
    const caseQty = new Map(items.rows.map((r) => [r.item_no, r.case_qty]));
    const unknown = await unknownReference(
      sql,
      input.lines.map((l) => l.itemNo),
      input.lines.map((l) => l.siteCode),
    );
    if (unknown) return { status: 422, body: unknown };
    const lines = input.lines.map((l) => ({
      itemNo: l.itemNo,
      siteCode: l.siteCode,
      qty: toEach(l.qty, l.uom, caseQty.get(l.itemNo)),
      uom: 'EA' as const,
    }));
    // A twin call that got here first makes this a no-op; its commitment is then the answer.
    const inserted = await sql.query<CommitmentRow>(
      `INSERT INTO sandbox_erp.commitments (external_ref, lines) VALUES ($1, $2::jsonb)
       ON CONFLICT (external_ref) DO NOTHING RETURNING id, external_ref, lines, received_at`,
      [input.externalRef, JSON.stringify(lines)],
    );
    if (inserted.rows[0]) return { status: 201, body: toCommitment(inserted.rows[0]) };
    return { status: 200, body: (await findCommitment(sql, input.externalRef))! };
  }

  async listCommitments(externalRef: string | undefined, p: Paging): Promise<Page<CommitmentView>> {
    const [count, rows] = await Promise.all([
      this.db.query<{ n: string }>(
        'SELECT count(*) AS n FROM sandbox_erp.commitments WHERE $1::text IS NULL OR external_ref = $1',
        [externalRef ?? null],
      ),
      this.db.query<CommitmentRow>(
        `SELECT id, external_ref, lines, received_at FROM sandbox_erp.commitments
          WHERE $1::text IS NULL OR external_ref = $1 ORDER BY id LIMIT $2 OFFSET $3`,
        [externalRef ?? null, p.limit, p.offset],
      ),
    ]);
    return pageOf(p, Number(count.rows[0].n), rows.rows.map(toCommitment));
  }

  async stats(): Promise<ErpStats> {
    const res = await this.db.query<Record<keyof ErpStats, string>>(
      `SELECT count(*) FILTER (WHERE kind = 'commitment') AS "commitmentCalls",
              count(*) FILTER (WHERE kind = 'commitment' AND status = 201) AS "commitmentsCreated",
              count(*) FILTER (WHERE kind = 'commitment' AND status = 200) AS "commitmentDuplicates",
              count(*) FILTER (WHERE kind = 'commitment' AND status >= 400) AS "rejected",
              count(*) FILTER (WHERE kind = 'journal-entry') AS "journalEntryCalls",
              count(*) FILTER (WHERE kind = 'journal-entry' AND status = 201) AS "journalEntriesCreated",
              count(*) FILTER (WHERE kind = 'journal-entry' AND status = 200) AS "journalEntryDuplicates",
              count(*) FILTER (WHERE kind = 'journal-entry' AND status >= 400) AS "journalEntriesRejected",
              (SELECT count(*) FROM sandbox_erp.on_hand) AS "onHandRows"
         FROM sandbox_erp.calls`,
    );
    const r = res.rows[0];
    return {
      commitmentCalls: Number(r.commitmentCalls),
      commitmentsCreated: Number(r.commitmentsCreated),
      commitmentDuplicates: Number(r.commitmentDuplicates),
      rejected: Number(r.rejected),
      journalEntryCalls: Number(r.journalEntryCalls),
      journalEntriesCreated: Number(r.journalEntriesCreated),
      journalEntryDuplicates: Number(r.journalEntryDuplicates),
      journalEntriesRejected: Number(r.journalEntriesRejected),
      onHandRows: Number(r.onHandRows),
    };
  }
}

async function findCommitment(sql: PoolClient, externalRef: string): Promise<CommitmentView | undefined> {
  const res = await sql.query<CommitmentRow>(
    'SELECT id, external_ref, lines, received_at FROM sandbox_erp.commitments WHERE external_ref = $1',
    [externalRef],
  );
  return res.rows[0] ? toCommitment(res.rows[0]) : undefined;
}

/** The first item, then the first site, the ERP does not know; null when it knows them all. */
export async function unknownReference(
  sql: PoolClient,
  itemNos: string[],
  siteCodes: string[],
): Promise<UnknownReference | null> {
  const item = await firstUnknown(sql, 'items', 'item_no', itemNos);
  if (item) return { error: 'UNKNOWN_ITEM', itemNo: item, message: `Item ${item} is not in the item master` };
  const site = await firstUnknown(sql, 'sites', 'site_code', siteCodes);
  if (site) return { error: 'UNKNOWN_SITE', siteCode: site, message: `Site ${site} does not exist` };
  return null;
}

/** The first of `codes`, in their order, that the table does not hold. */
export async function firstUnknown(
  sql: PoolClient,
  table: 'items' | 'sites',
  column: 'item_no' | 'site_code',
  codes: string[],
): Promise<string | undefined> {
  const res = await sql.query<{ code: string }>(
    `SELECT ${column} AS code FROM sandbox_erp.${table} WHERE ${column} = ANY($1::text[])`,
    [codes],
  );
  const known = new Set(res.rows.map((r) => r.code));
  return codes.find((c) => !known.has(c));
}
