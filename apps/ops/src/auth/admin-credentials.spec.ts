import { AdminCredentials, parseAdminTokens } from './admin-credentials';

const ALICE = 'alice-token-0123456789';
const BOB = 'bob-token-abcdefghijkl';
const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('parseAdminTokens', () => {
  it('reads comma-separated name:token pairs, trimming spaces around entries', () => {
    expect(parseAdminTokens(`alice:${ALICE}, bob:${BOB}`)).toEqual({
      credentials: [
        { name: 'alice', token: ALICE },
        { name: 'bob', token: BOB },
      ],
      problems: [],
    });
  });

  it('keeps a colon inside the token (only the first colon separates the name)', () => {
    expect(parseAdminTokens('ci:abc:def:0123456789ab').credentials).toEqual([
      { name: 'ci', token: 'abc:def:0123456789ab' },
    ]);
  });

  it('refuses a missing or empty value', () => {
    expect(parseAdminTokens(undefined).problems[0]).toMatch(/must be set/);
    expect(parseAdminTokens('  ').problems[0]).toMatch(/must be set/);
  });

  it('refuses a token shorter than 16 characters, naming the entry but never the token', () => {
    const { problems } = parseAdminTokens(`alice:${ALICE},bob:short-secret`);
    expect(problems).toEqual(['entry 2 (bob): the token must be at least 16 characters']);
    expect(problems.join()).not.toContain('short-secret');
  });

  it('refuses an entry without a colon, a bad name, a repeated name and a token shared by two names', () => {
    expect(parseAdminTokens(ALICE).problems).toEqual(['entry 1 is not a name:token pair']);
    expect(parseAdminTokens(`al ice:${ALICE}`).problems[0]).toMatch(/entry 1: the name must be/);
    expect(parseAdminTokens(`:${ALICE}`).problems[0]).toMatch(/entry 1: the name must be/);
    expect(parseAdminTokens(`alice:${ALICE},alice:${BOB}`).problems).toEqual([
      'entry 2: the name alice is given twice',
    ]);
    expect(parseAdminTokens(`alice:${ALICE},bob:${ALICE}`).problems).toEqual([
      "entry 2 (bob): the token is already another name's",
    ]);
  });

  it('refuses a token with spaces or non-ASCII characters', () => {
    expect(parseAdminTokens('alice:0123456789 abcdef').problems[0]).toMatch(/printable ASCII/);
    expect(parseAdminTokens('alice:0123456789abcdéf').problems[0]).toMatch(/printable ASCII/);
  });
});

describe('AdminCredentials.authenticate', () => {
  const credentials = new AdminCredentials([
    { name: 'alice', token: ALICE },
    { name: 'bob', token: BOB },
  ]);

  it('answers the name of the operator whose Bearer token it is', () => {
    expect(credentials.authenticate(`Bearer ${ALICE}`)).toBe('alice');
    expect(credentials.authenticate(`Bearer ${BOB}`)).toBe('bob');
    expect(credentials.authenticate(`bearer ${BOB}`)).toBe('bob');
  });

  it('refuses a wrong token of the same length, of another length, and an empty one', () => {
    expect(credentials.authenticate(`Bearer ${ALICE.slice(0, -1)}X`)).toBeNull();
    expect(credentials.authenticate(`Bearer ${ALICE}x`)).toBeNull();
    expect(credentials.authenticate('Bearer ')).toBeNull();
    expect(credentials.authenticate('Bearer')).toBeNull();
  });

  it('accepts HTTP Basic with the name as user and the token as password', () => {
    expect(credentials.authenticate(basic('alice', ALICE))).toBe('alice');
    expect(credentials.authenticate(basic('bob', BOB))).toBe('bob');
  });

  it("refuses Basic with another operator's token, an unknown name, or no password", () => {
    expect(credentials.authenticate(basic('alice', BOB))).toBeNull();
    expect(credentials.authenticate(basic('mallory', ALICE))).toBeNull();
    expect(credentials.authenticate(`Basic ${Buffer.from('alice').toString('base64')}`)).toBeNull();
    expect(credentials.authenticate('Basic !!!not-base64')).toBeNull();
  });

  it('refuses a missing header and other schemes', () => {
    expect(credentials.authenticate(undefined)).toBeNull();
    expect(credentials.authenticate('')).toBeNull();
    expect(credentials.authenticate(ALICE)).toBeNull();
    expect(credentials.authenticate(`Token ${ALICE}`)).toBeNull();
  });

  it('cannot be built without operators', () => {
    expect(() => new AdminCredentials([])).toThrow(/At least one/);
    expect(() => AdminCredentials.fromEnv('alice:short')).toThrow(/OPS_ADMIN_TOKENS: entry 1 \(alice\)/);
  });
});
