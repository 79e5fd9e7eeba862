import { hasEncodedControl } from './edge.hooks';
import { bearerMatches } from './metrics';

describe('hasEncodedControl', () => {
  it('finds encoded NUL and other C0 controls in the path or the query, in either case', () => {
    for (const url of [
      '/v1/a%00b',
      '/v1/audit?actor=a%00',
      '/x?q=%1b',
      '/x?q=%1F',
      '/x?q=%0b',
      '/x?q=%7f%08',
    ])
      expect(hasEncodedControl(url)).toBe(true);
  });

  it('allows tab, line feed, carriage return and every other encoding', () => {
    for (const url of [
      '/x?q=a%09b%0A%0d',
      '/x?q=%20%2F%C3%A9',
      '/x?q=%2500',
      '/v1/reservations',
      '/x?q=100%',
    ])
      expect(hasEncodedControl(url)).toBe(false);
  });
});

describe('bearerMatches', () => {
  const token = 'metrics-token-0123456789';

  it('accepts exactly `Bearer <token>`', () => {
    expect(bearerMatches(`Bearer ${token}`, token)).toBe(true);
  });

  it('refuses a missing, empty, other-scheme, shorter, longer or different token', () => {
    for (const header of [
      undefined,
      '',
      'Bearer ',
      `Basic ${token}`,
      `bearer${token}`,
      `Bearer ${token.slice(1)}`,
      `Bearer ${token}x`,
      `Bearer ${token.toUpperCase()}`,
    ])
      expect(bearerMatches(header, token)).toBe(false);
  });
});
