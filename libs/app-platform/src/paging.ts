import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { ProblemError } from './problem';

/**
 * Cursor pagination, one shape for every list of the platform (docs/openapi.md, "Lists"):
 * `?limit=&cursor=` in, `{ items, nextCursor }` out. A list is read in a fixed order with a unique sort key
 * (e.g. newest first by `(created_at, id)`); a page's cursor holds the sort key of its last item, and the next
 * page starts after it (keyset pagination), so paging stays correct and equally fast however deep it goes, and
 * items added meanwhile never shift a page. `nextCursor` is null on the last page.
 */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

const CURSOR_PATTERN = /^[A-Za-z0-9_-]{1,1024}$/;

/**
 * `limit` of a paged list: items per page, 1 to `max`, `fallback` when left out. A list's query declares it
 * with its own bounds: `@PageLimit(500, 50) limit?: number;`.
 */
export function PageLimit(max: number, fallback: number): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      type: 'integer',
      minimum: 1,
      maximum: max,
      default: fallback,
      description: 'Items per page.',
    }),
    IsOptional(),
    Type(() => Number),
    IsInt(),
    Min(1),
    Max(max),
  );
}

/** The query of a paged list; a list's own query extends it and declares `limit` with `PageLimit`. */
export class PageQuery {
  /** The `nextCursor` of the previous page; left out for the first page. Opaque: pass it back as it came. */
  @ApiPropertyOptional({
    maxLength: 1024,
    pattern: CURSOR_PATTERN.source,
    description:
      'The `nextCursor` of the page before (with the same filters); left out for the first page. Opaque: pass it back as it came.',
  })
  @IsOptional()
  @Matches(CURSOR_PATTERN, { message: 'cursor must be the nextCursor of a previous page, as it came' })
  cursor?: string;
}

/** A value of a sort key as it travels in a cursor: timestamps as PostgreSQL's text (microseconds kept). */
export type CursorKey = ReadonlyArray<string | number>;

/** The cursor of a page whose last item has this sort key, for the list named `list`. */
export function encodeCursor(list: string, key: CursorKey): string {
  return Buffer.from(JSON.stringify({ l: list, k: key }), 'utf8').toString('base64url');
}

/**
 * The kind of each value of a list's sort key, checked when a cursor comes back, so that an altered cursor is
 * a 400 and never reaches the SQL (where `'yesterday'::timestamptz` would fail): `timestamp` is PostgreSQL's
 * text of a timestamptz (`created_at::text`, e.g. `2026-12-02 12:00:00.123456+00`), `integer` a whole number
 * that fits a bigint (e.g. a bigint id, as text), `uuid` a UUID, `text` any text PostgreSQL holds (no NUL).
 */
export type CursorKeyKind = 'text' | 'integer' | 'timestamp' | 'uuid';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PG_TIMESTAMPTZ =
  /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.\d{1,6})?[+-](\d{2})(?::[0-5]\d){0,2}$/;

/** Whether `text` is a timestamp as PostgreSQL writes it (DateStyle ISO), on a real day at a real time. */
function isTimestampText(text: string): boolean {
  const m = PG_TIMESTAMPTZ.exec(text);
  if (!m) return false;
  const [year, month, day, hour, minute, second, offsetHours] = m.slice(1, 8).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    hour < 24 &&
    minute < 60 &&
    second < 60 &&
    offsetHours <= 15
  );
}

const KIND_CHECKS: Record<CursorKeyKind, (value: string) => boolean> = {
  text: (v) => !v.includes('\u0000'),
  integer: (v) => /^-?\d{1,18}$/.test(v),
  timestamp: isTimestampText,
  uuid: (v) => UUID.test(v),
};

/**
 * The sort key a cursor of the list `list` holds (null without a cursor); 400 `invalid-cursor` when the cursor is
 * not one this list gave out (another list's, or altered into values its columns cannot hold). `kinds` gives the
 * kind of each value of the list's sort key.
 */
export function decodeCursor(
  list: string,
  cursor: string | undefined,
  kinds: readonly CursorKeyKind[],
): string[] | null {
  if (cursor === undefined || cursor === '') return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const values = (parsed as { k?: unknown } | null)?.k;
  const ok =
    typeof parsed === 'object' &&
    parsed !== null &&
    (parsed as { l?: unknown }).l === list &&
    Array.isArray(values) &&
    values.length === kinds.length &&
    values.every(
      (v: unknown, i) => (typeof v === 'string' || typeof v === 'number') && KIND_CHECKS[kinds[i]](String(v)),
    );
  if (!ok)
    throw ProblemError.of(
      400,
      'invalid-cursor',
      `The cursor is not one this list (${list}) gave out; pass back the nextCursor of a page as it came, or leave it out to start again.`,
    );
  return (values as Array<string | number>).map(String);
}

/**
 * The page of a list read with `LIMIT limit + 1`: the extra row, when there, says another page follows (and is
 * not returned). `keyOf` gives a row's sort key, `map` its view.
 */
export function pageOf<R, T>(
  list: string,
  rows: readonly R[],
  limit: number,
  keyOf: (row: R) => CursorKey,
  map: (row: R) => T,
): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items: items.map(map),
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor(list, keyOf(last)) : null,
  };
}
