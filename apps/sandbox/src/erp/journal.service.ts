import { Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { type Page, pageOf, type Paging } from '../infra/paging';
import { SandboxDb } from '../infra/sandbox-db';
import { normalizeAmount } from './amount';
import { unknownReference, type UnknownReference } from './erp.service';
import type {
  CreateJournalEntryInput,
  JournalEntryCreatedView,
  JournalEntryType,
  JournalEntryView,
  JournalLineView,
} from './journal-entry.dto';

export type JournalEntryOutcome =
  { status: 201 | 200; body: JournalEntryCreatedView } | { status: 422; body: UnknownReference };

interface EntryRow {
  id: string;
  posting_key: string;
  entry_type: JournalEntryType;
  amount: string;
  currency: string;
  reference: string;
  reason_code: string | null;
  business_date: string;
  lines: JournalLineView[];
  received_at: Date;
}

const COLUMNS = `id, posting_key, entry_type, amount::text AS amount, currency, reference, reason_code,
  to_char(business_date, 'YYYY-MM-DD') AS business_date, lines, received_at`;

const entryId = (id: string | number): string => `JE-${String(id).padStart(8, '0')}`;

const toView = (r: EntryRow): JournalEntryView => ({
  entryId: entryId(r.id),
  postingKey: r.posting_key,
  type: r.entry_type,
  amount: r.amount,
  currency: r.currency,
  reference: r.reference,
  reasonCode: r.reason_code,
  businessDate: r.business_date,
  lines: r.lines,
  receivedAt: r.received_at.toISOString(),
});

/**
 * The stand-in ERP's general ledger: journal entries booked at most once per posting key. Items and sites
 * must exist (422 otherwise, nothing booked); a repeated key answers the entry booked the first time (200),
 * whatever else the repeat carries. Every call is counted for the stats.
 */
@Injectable()
export class JournalService {
  constructor(private readonly db: SandboxDb) {}

  async post(input: CreateJournalEntryInput): Promise<JournalEntryOutcome> {
    return this.db.tx(async (sql) => {
      const outcome = await this.book(sql, input);
      await sql.query(
        `INSERT INTO sandbox_erp.calls (kind, external_ref, status) VALUES ('journal-entry', $1, $2)`,
        [input.postingKey, outcome.status],
      );
      return outcome;
    });
  }

  private async book(sql: PoolClient, input: CreateJournalEntryInput): Promise<JournalEntryOutcome> {
    const stored = await findByKey(sql, input.postingKey);
    if (stored) return { status: 200, body: stored };
    const unknown = await unknownReference(
      sql,
      input.lines.map((l) => l.itemNo),
      input.lines.flatMap((l) => (l.siteCode === undefined ? [] : [l.siteCode])),
    );
    if (unknown) return { status: 422, body: unknown };
    const lines: JournalLineView[] = input.lines.map((l) => ({
      itemNo: l.itemNo,
      siteCode: l.siteCode ?? null,
      qty: l.qty,
      amount: normalizeAmount(l.amount),
    }));
    // A twin call that got here first makes this a no-op; its entry is then the answer.
    const inserted = await sql.query<{ id: string }>(
      `INSERT INTO sandbox_erp.journal_entries
         (posting_key, entry_type, amount, currency, reference, reason_code, business_date, lines)
       VALUES ($1, $2, $3::numeric, $4, $5, $6, $7::date, $8::jsonb)
       ON CONFLICT (posting_key) DO NOTHING RETURNING id`,
      [
        input.postingKey,
        input.type,
        normalizeAmount(input.amount),
        input.currency,
        input.reference,
        input.reasonCode ?? null,
        input.businessDate,
        JSON.stringify(lines),
      ],
    );
    if (inserted.rows[0])
      return { status: 201, body: { entryId: entryId(inserted.rows[0].id), postingKey: input.postingKey } };
    return { status: 200, body: (await findByKey(sql, input.postingKey))! };
  }

  async list(
    filter: { reference?: string; postingKey?: string },
    p: Paging,
  ): Promise<Page<JournalEntryView>> {
    const where = `WHERE ($1::text IS NULL OR reference = $1) AND ($2::text IS NULL OR posting_key = $2)`;
    const values = [filter.reference ?? null, filter.postingKey ?? null];
    const [count, rows] = await Promise.all([
      this.db.query<{ n: string }>(`SELECT count(*) AS n FROM sandbox_erp.journal_entries ${where}`, values),
      this.db.query<EntryRow>(
        `SELECT ${COLUMNS} FROM sandbox_erp.journal_entries ${where} ORDER BY id LIMIT $3 OFFSET $4`,
        [...values, p.limit, p.offset],
      ),
    ]);
    return pageOf(p, Number(count.rows[0].n), rows.rows.map(toView));
  }
}

async function findByKey(sql: PoolClient, postingKey: string): Promise<JournalEntryCreatedView | undefined> {
  const res = await sql.query<{ id: string }>(
    'SELECT id FROM sandbox_erp.journal_entries WHERE posting_key = $1',
    [postingKey],
  );
  return res.rows[0] ? { entryId: entryId(res.rows[0].id), postingKey } : undefined;
}
