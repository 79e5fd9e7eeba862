import { DEFAULT_WINDOW_MS, parseOrderFilter } from './order-filter';

const NOW = new Date('2026-06-01T12:00:00.000Z');
const errorId = (filter: string) => {
  const r = parseOrderFilter(filter, NOW);
  return 'error' in r ? r.error.errorId : undefined;
};

describe('parseOrderFilter', () => {
  it('reads a lastmodifieddate range, inclusive, with or without its end', () => {
    expect(
      parseOrderFilter('lastmodifieddate:[2026-05-01T00:00:00.000Z..2026-05-31T23:59:59.999Z]', NOW),
    ).toEqual({
      filter: {
        date: 'lastModified',
        from: new Date('2026-05-01T00:00:00.000Z'),
        to: new Date('2026-05-31T23:59:59.999Z'),
      },
    });
    expect(parseOrderFilter('lastmodifieddate:[2026-05-01T00:00:00Z..]', NOW)).toEqual({
      filter: { date: 'lastModified', from: new Date('2026-05-01T00:00:00.000Z') },
    });
  });

  it('uses creationdate when both dates are given, and the last 90 days of creation when none is', () => {
    const both = parseOrderFilter(
      'lastmodifieddate:[2026-05-01T00:00:00Z..],creationdate:[2026-04-01T00:00:00Z..]',
      NOW,
    );
    expect(both).toEqual({ filter: { date: 'creation', from: new Date('2026-04-01T00:00:00Z') } });
    expect(parseOrderFilter(undefined, NOW)).toEqual({
      filter: { date: 'creation', from: new Date(NOW.getTime() - DEFAULT_WINDOW_MS) },
    });
  });

  it('reads the fulfillment status sets eBay supports, and no other', () => {
    expect(parseOrderFilter('orderfulfillmentstatus:{NOT_STARTED|IN_PROGRESS}', NOW)).toMatchObject({
      filter: { statuses: ['NOT_STARTED', 'IN_PROGRESS'] },
    });
    expect(errorId('orderfulfillmentstatus:{FULFILLED}')).toBe(30800);
  });

  it("answers eBay's error for each mistake", () => {
    expect(errorId('modifieddate:[2026-05-01T00:00:00Z..]')).toBe(30700);
    expect(errorId('lastmodifieddate:2026-05-01T00:00:00Z')).toBe(30800);
    expect(errorId('lastmodifieddate:[2026-05-01..]')).toBe(30810);
    expect(errorId('lastmodifieddate:[2026-05-01T00:00:00+02:00..]')).toBe(30810);
    expect(errorId('lastmodifieddate:[..2026-05-01T00:00:00Z]')).toBe(30820);
    expect(errorId('creationdate:[2023-01-01T00:00:00Z..2026-05-01T00:00:00Z]')).toBe(30830);
    expect(errorId('lastmodifieddate:[2026-05-02T00:00:00Z..2026-05-01T00:00:00Z]')).toBe(30840);
    expect(errorId('lastmodifieddate:[2026-05-01T00:00:00Z..2026-06-02T00:00:00Z]')).toBe(30850);
  });
});
