import type { StoreTransaction } from '@stockbridge/ledger';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { StoreTransactionInput } from './store-transaction.dto';

/** A transaction of a batch as read: ready for the ledger, or refused with the reason. */
export type ReadTransaction =
  { ok: true; transaction: StoreTransaction } | { ok: false; transactionId: string | null; reason: string };

/** Every broken rule of a nested validation, as `lines.0.quantity must not be greater than 10000`. */
function messages(errors: ValidationError[], path = ''): string[] {
  return errors.flatMap((e) => {
    const at = path ? `${path}.${e.property}` : e.property;
    // class-validator names the property alone; nested ones get their path.
    const own = Object.values(e.constraints ?? {}).map((m) => {
      if (!path) return m;
      if (m.startsWith(`${e.property} `)) return `${at}${m.slice(e.property.length)}`;
      const unknown = `property ${e.property} `;
      return m.startsWith(unknown) ? `property ${at} ${m.slice(unknown.length)}` : m;
    });
    return [...own, ...messages(e.children ?? [], at)];
  });
}

/** Whether the date and time fields of an ISO 8601 date-time name a real instant (no 30 February, no 24:00). */
function isRealDateTime(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/.exec(text);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1).map((v) => Number(v ?? 0));
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    hour < 24 &&
    minute < 60 &&
    second < 60 &&
    !Number.isNaN(Date.parse(text))
  );
}

/**
 * Checks one transaction of a batch on its own (the batch's shape is checked by the ValidationPipe), so that a
 * malformed transaction is refused with its reason and the others go on: the field rules of
 * StoreTransactionInput, no unknown field, lines for a sale or a return and none for a void, which names the
 * transaction it voids (and not itself).
 */
export function readTransaction(raw: Record<string, unknown>): ReadTransaction {
  const transactionId = typeof raw.transactionId === 'string' ? raw.transactionId : null;
  const input = plainToInstance(StoreTransactionInput, raw);
  const broken = messages(validateSync(input, { whitelist: true, forbidNonWhitelisted: true }));
  if (input.type === 'void') {
    if (input.lines !== undefined) broken.push('lines must be left out of a void');
    if (input.voidsTransactionId === undefined) broken.push('voidsTransactionId is required for a void');
    else if (input.voidsTransactionId === input.transactionId) broken.push('a void cannot void itself');
  } else if (input.type === 'sale' || input.type === 'return') {
    if (input.lines === undefined) broken.push(`lines are required for a ${input.type}`);
    if (input.voidsTransactionId !== undefined)
      broken.push(`voidsTransactionId is only for a void, not a ${input.type}`);
  }
  if (typeof input.occurredAt === 'string' && broken.every((m) => !m.startsWith('occurredAt')))
    if (!isRealDateTime(input.occurredAt)) broken.push('occurredAt must be a real date and time');
  if (broken.length > 0) return { ok: false, transactionId, reason: `${broken.join('; ')}.` };
  return {
    ok: true,
    transaction: {
      transactionId: input.transactionId,
      type: input.type,
      occurredAt: new Date(input.occurredAt),
      lines: (input.lines ?? []).map((l) => ({ sku: l.sku, quantity: l.quantity })),
      voidsTransactionId: input.voidsTransactionId ?? null,
    },
  };
}
