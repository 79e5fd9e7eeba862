import { spread } from './spread';

describe('spread', () => {
  it('fills the lines of an item in line order, each up to what it still lacks', () => {
    expect(
      spread(7, [
        { lineNo: 1, room: 5 },
        { lineNo: 3, room: 4 },
      ]),
    ).toEqual(
      new Map([
        [1, 5],
        [3, 2],
      ]),
    );
  });

  it('puts an over-shipment on the last line instead of dropping it', () => {
    expect(
      spread(9, [
        { lineNo: 1, room: 2 },
        { lineNo: 2, room: 0 },
      ]),
    ).toEqual(
      new Map([
        [1, 2],
        [2, 7],
      ]),
    );
  });

  it('treats a line that is already over-filled as having no room', () => {
    expect(spread(3, [{ lineNo: 1, room: -4 }])).toEqual(new Map([[1, 3]]));
  });

  it('spreads nothing when the order has no line of the item', () => {
    expect(spread(3, [])).toEqual(new Map());
  });
});
