import { decodeCursor, encodeCursor, pageOf } from './paging';
import { ProblemError } from './problem';

describe('cursor paging', () => {
  it('gives back the sort key a cursor of the same list holds, as strings', () => {
    const cursor = encodeCursor('orders', ['2026-12-02 12:00:00.123456+00', 'b8e0']);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor('orders', cursor, ['text', 'text'])).toEqual([
      '2026-12-02 12:00:00.123456+00',
      'b8e0',
    ]);
    expect(decodeCursor('audit', encodeCursor('audit', [42]), ['integer'])).toEqual(['42']);
  });

  it('has no cursor for the first page', () => {
    expect(decodeCursor('orders', undefined, ['text', 'text'])).toBeNull();
    expect(decodeCursor('orders', '', ['text', 'text'])).toBeNull();
  });

  it.each([
    ['another list', encodeCursor('returns', ['a', 'b'])],
    ['another key length', encodeCursor('orders', ['a'])],
    ['not base64 JSON', 'bm90IGpzb24'],
    [
      'a key that is not scalar',
      Buffer.from(JSON.stringify({ l: 'orders', k: [{}, 'b'] })).toString('base64url'),
    ],
  ])('refuses a cursor of %s as 400 invalid-cursor', (_what, cursor) => {
    let caught: unknown;
    try {
      decodeCursor('orders', cursor, ['text', 'text']);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ProblemError);
    expect((caught as ProblemError).problem).toMatchObject({
      status: 400,
      type: 'https://stockbridge.dev/problems/invalid-cursor',
    });
  });

  it('returns limit items and a cursor after the last one while more rows follow', () => {
    const rows = [{ n: 1 }, { n: 2 }, { n: 3 }];
    const page = pageOf(
      'numbers',
      rows,
      2,
      (r) => [r.n],
      (r) => r.n * 10,
    );
    expect(page.items).toEqual([10, 20]);
    expect(decodeCursor('numbers', page.nextCursor!, ['integer'])).toEqual(['2']);
  });

  it('has no next cursor on the last page', () => {
    expect(
      pageOf(
        'numbers',
        [{ n: 1 }, { n: 2 }],
        2,
        (r) => [r.n],
        (r) => r.n,
      ),
    ).toEqual({
      items: [1, 2],
      nextCursor: null,
    });
    expect(
      pageOf(
        'numbers',
        [],
        2,
        () => [],
        (r) => r,
      ),
    ).toEqual({ items: [], nextCursor: null });
  });
});

describe('cursor key kinds', () => {
  const kinds = ['timestamp', 'uuid'] as const;
  const id = '0b7d6c1e-5c8a-4a39-9d55-2f7f3f0c1a11';

  it('accepts the values a list writes: PostgreSQL timestamps, UUIDs, integers', () => {
    for (const at of ['2026-12-02 12:00:00.123456+00', '2026-02-28 23:59:59+05:30', '2026-12-02 12:00:00-03'])
      expect(decodeCursor('runs', encodeCursor('runs', [at, id]), kinds)).toEqual([at, id]);
    expect(decodeCursor('audit', encodeCursor('audit', ['9007199254740993']), ['integer'])).toEqual([
      '9007199254740993',
    ]);
  });

  it.each([
    ['a word for a timestamp', ['yesterday', id]],
    ['a day that does not exist', ['2026-02-30 12:00:00+00', id]],
    ['a time that does not exist', ['2026-12-02 24:00:00+00', id]],
    ['no UUID', ['2026-12-02 12:00:00+00', 'not-a-uuid']],
  ])('refuses a cursor altered into %s before it reaches the SQL', (_what, key) => {
    expect(() => decodeCursor('runs', encodeCursor('runs', key), kinds)).toThrow(ProblemError);
  });

  it('refuses text PostgreSQL cannot hold and an integer past a bigint', () => {
    expect(() => decodeCursor('skus', encodeCursor('skus', ['wms\u0000']), ['text'])).toThrow(ProblemError);
    expect(() => decodeCursor('audit', encodeCursor('audit', ['9'.repeat(19)]), ['integer'])).toThrow(
      ProblemError,
    );
  });

  it('refuses an integer key that is not a whole number', () => {
    expect(() => decodeCursor('audit', encodeCursor('audit', ['1; DROP TABLE']), ['integer'])).toThrow(
      ProblemError,
    );
  });
});
