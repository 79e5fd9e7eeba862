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
  @ApiPropertyOptional({ maxLength: 1024, pattern: CURSOR_PATTERN.source })
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
 * The sort key a cursor of the list `list` holds (null without a cursor); 400 `invalid-cursor` when the cursor is
 * not one this list gave out (another list's, or altered). `arity` is the number of values of the list's key.
 */
export function decodeCursor(list: string, cursor: string | undefined, arity: number): string[] | null {
  if (cursor === undefined || cursor === '') return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const ok =
    typeof parsed === 'object' &&
    parsed !== null &&
    (parsed as { l?: unknown }).l === list &&
    Array.isArray((parsed as { k?: unknown }).k) &&
    (parsed as { k: unknown[] }).k.length === arity &&
    (parsed as { k: unknown[] }).k.every((v) => typeof v === 'string' || typeof v === 'number');
  if (!ok)
    throw ProblemError.of(
      400,
      'invalid-cursor',
      `The cursor is not one this list (${list}) gave out; pass back the nextCursor of a page as it came, or leave it out to start again.`,
    );
  return (parsed as { k: Array<string | number> }).k.map(String);
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
