import { toEach, wholeCases } from './units';

describe('unit conversion', () => {
  it('counts a case as 12 each by default', () => {
    expect(toEach(2, 'CS')).toBe(24);
    expect(toEach(5, 'EA')).toBe(5);
  });

  it("uses the item's own case size when it has one", () => {
    expect(toEach(3, 'CS', 6)).toBe(18);
    expect(toEach(3, 'EA', 6)).toBe(3);
  });

  it('keeps the sign of an adjustment', () => {
    expect(toEach(-2, 'CS')).toBe(-24);
  });

  it('reports whole cases only', () => {
    expect(wholeCases(25)).toBe(2);
    expect(wholeCases(11)).toBe(0);
    expect(wholeCases(24, 6)).toBe(4);
  });
});
