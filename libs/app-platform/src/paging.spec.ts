import { decodeCursor, encodeCursor, pageOf } from './paging';
import { ProblemError } from './problem';

describe('cursor paging', () => {
  it('gives back the sort key a cursor of the same list holds, as strings', () => {
    const cursor = encodeCursor('orders', ['2026-12-02 12:00:00.123456+00', 'b8e0']);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor('orders', cursor, 2)).toEqual(['2026-12-02 12:00:00.123456+00', 'b8e0']);
    expect(decodeCursor('audit', encodeCursor('audit', [42]), 1)).toEqual(['42']);
  });

  it('has no cursor for the first page', () => {
    expect(decodeCursor('orders', undefined, 2)).toBeNull();
    expect(decodeCursor('orders', '', 2)).toBeNull();
  });

  it.each([
    ['another list', encodeCursor('returns', ['a', 'b'])],
    ['another key length', encodeCursor('orders', ['a'])],
    ['not base64 JSON', 'bm90IGpzb24'],
    ['a key that is not scalar', Buffer.from(JSON.stringify({ l: 'orders', k: [{}, 'b'] })).toString('base64url')],
  ])('refuses a cursor of %s as 400 invalid-cursor', (_what, cursor) => {
    let caught: unknown;
    try {
      decodeCursor('orders', cursor, 2);
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
    const page = pageOf('numbers', rows, 2, (r) => [r.n], (r) => r.n * 10);
    expect(page.items).toEqual([10, 20]);
    expect(decodeCursor('numbers', page.nextCursor!, 1)).toEqual(['2']);
  });

  it('has no next cursor on the last page', () => {
    expect(pageOf('numbers', [{ n: 1 }, { n: 2 }], 2, (r) => [r.n], (r) => r.n)).toEqual({
      items: [1, 2],
      nextCursor: null,
    });
    expect(pageOf('numbers', [], 2, () => [], (r) => r)).toEqual({ items: [], nextCursor: null });
  });
});
