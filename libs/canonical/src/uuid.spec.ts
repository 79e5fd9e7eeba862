import { isUuid } from './uuid';

describe('isUuid', () => {
  it('accepts a UUID in either case, whatever its version', () => {
    expect(isUuid('0b8f4b6e-3c1d-4e5f-9a7b-1c2d3e4f5a6b')).toBe(true);
    expect(isUuid('0B8F4B6E-3C1D-4E5F-9A7B-1C2D3E4F5A6B')).toBe(true);
    expect(isUuid('00000000-0000-0000-0000-000000000000')).toBe(true);
  });

  it('refuses anything else', () => {
    for (const value of [
      '',
      'order-42',
      '0b8f4b6e3c1d4e5f9a7b1c2d3e4f5a6b',
      '0b8f4b6e-3c1d-4e5f-9a7b-1c2d3e4f5a6',
      ' 0b8f4b6e-3c1d-4e5f-9a7b-1c2d3e4f5a6b',
      '0b8f4b6e-3c1d-4e5f-9a7b-1c2d3e4f5a6g',
    ])
      expect(isUuid(value)).toBe(false);
  });
});
