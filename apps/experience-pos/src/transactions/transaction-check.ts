import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { PosTransaction, type PosTransactionResult, type TransactionType } from './transaction.dto';

/** A well-formed transaction as the process API takes it. */
export interface ForwardedTransaction {
  transactionId: string;
  type: TransactionType;
  occurredAt: string;
  lines?: { sku: string; quantity: number }[];
  voidsTransactionId?: string;
}

export type CheckedTransaction =
  { ok: true; transaction: ForwardedTransaction } | { ok: false; result: PosTransactionResult };

/** Every broken rule as `path message`, the way the platform's validation-failed problems word them. */
function messages(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((e) => {
    const path = `${prefix}${e.property}`;
    const own = Object.values(e.constraints ?? {}).map((m) =>
      prefix === '' ? m : m.replace(new RegExp(`^${e.property}\\b`), path),
    );
    return [...own, ...messages(e.children ?? [], `${path}.`)];
  });
}

const DATE_TIME_PARTS = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/;

/** A date-time that names a real instant: no 30 February, no hour 24 (Date.parse would roll them over). */
export function isRealDateTime(value: string): boolean {
  const m = DATE_TIME_PARTS.exec(value);
  if (!m || Number.isNaN(Date.parse(value))) return false;
  const [year, month, day, hour, minute, second] = m.slice(1).map((p) => Number(p ?? 0));
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return (
    month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth && hour <= 23 && minute <= 59 && second <= 59
  );
}

const refused = (transactionId: string | null, reason: string): CheckedTransaction => ({
  ok: false,
  result: { transactionId, status: 'refused', reason },
});

/**
 * Checks one transaction of a batch against the POS contract (its shape only: whether its SKUs exist, its time is
 * not in the future and its id is new is the process API's to say). A malformed one is refused on its own, with
 * every broken rule in `reason`; a well-formed one is rebuilt with exactly its fields for the process API.
 */
export function checkTransaction(raw: unknown): CheckedTransaction {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    return refused(null, 'a transaction must be a JSON object');
  const given = (raw as { transactionId?: unknown }).transactionId;
  const id = typeof given === 'string' && given.length > 0 ? given.slice(0, 128) : null;
  const instance = plainToInstance(PosTransaction, raw);
  const errors = messages(
    validateSync(instance, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true }),
  );
  if (typeof instance.occurredAt === 'string' && errors.length === 0 && !isRealDateTime(instance.occurredAt))
    errors.push('occurredAt is not a date and time of the calendar');
  if (instance.type === 'void' && instance.lines !== undefined) errors.push('a void has no lines');
  if ((instance.type === 'sale' || instance.type === 'return') && instance.voidsTransactionId !== undefined)
    errors.push('voidsTransactionId belongs to a void only');
  if (errors.length > 0) return refused(id, errors.join('; '));
  const t = instance;
  return {
    ok: true,
    transaction: {
      transactionId: t.transactionId,
      type: t.type,
      occurredAt: t.occurredAt,
      ...(t.type === 'void'
        ? { voidsTransactionId: t.voidsTransactionId! }
        : { lines: t.lines!.map((l) => ({ sku: l.sku, quantity: l.quantity })) }),
    },
  };
}
