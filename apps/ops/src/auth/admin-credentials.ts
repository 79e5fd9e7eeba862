import { timingSafeEqual } from 'node:crypto';

/** One operator: the name recorded in the audit log, and the secret token that proves it. */
export interface AdminCredential {
  name: string;
  token: string;
}

export const ADMIN_NAME_PATTERN = /^[A-Za-z0-9._@-]{1,64}$/;
export const MIN_TOKEN_LENGTH = 16;
const MAX_TOKEN_LENGTH = 512;
/** Printable ASCII without spaces or commas: the list separator must never be part of a token. */
const TOKEN_CHARS = /^[\x21-\x2b\x2d-\x7e]+$/;

/**
 * Reads `OPS_ADMIN_TOKENS` (`alice:<token>,bob:<token>`). Problems name the entry and the name, never the
 * token, so they can be printed at startup.
 */
export function parseAdminTokens(raw: string | undefined): {
  credentials: AdminCredential[];
  problems: string[];
} {
  if (raw === undefined || raw.trim() === '') {
    return {
      credentials: [],
      problems: ['must be set to comma-separated name:token pairs, e.g. alice:<at least 16 characters>'],
    };
  }
  const credentials: AdminCredential[] = [];
  const problems: string[] = [];
  raw.split(',').forEach((entry, i) => {
    const where = `entry ${i + 1}`;
    const trimmed = entry.trim();
    const colon = trimmed.indexOf(':');
    if (colon < 0) {
      problems.push(`${where} is not a name:token pair`);
      return;
    }
    const name = trimmed.slice(0, colon);
    const token = trimmed.slice(colon + 1);
    if (!ADMIN_NAME_PATTERN.test(name)) {
      problems.push(`${where}: the name must be 1–64 letters, digits, ".", "_", "@" or "-"`);
      return;
    }
    if (token.length < MIN_TOKEN_LENGTH)
      problems.push(`${where} (${name}): the token must be at least ${MIN_TOKEN_LENGTH} characters`);
    else if (token.length > MAX_TOKEN_LENGTH)
      problems.push(`${where} (${name}): the token must be at most ${MAX_TOKEN_LENGTH} characters`);
    else if (!TOKEN_CHARS.test(token))
      problems.push(`${where} (${name}): the token may hold printable ASCII only, without spaces or commas`);
    else if (credentials.some((c) => c.name === name))
      problems.push(`${where}: the name ${name} is given twice`);
    // The token alone identifies the actor of a Bearer request: two names sharing one would be ambiguous.
    else if (credentials.some((c) => c.token === token))
      problems.push(`${where} (${name}): the token is already another name's`);
    else credentials.push({ name, token });
  });
  return { credentials, problems };
}

/** Compares in constant time for equal lengths; the length check first, as timingSafeEqual requires. */
function sameSecret(given: Buffer, expected: Buffer): boolean {
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * The operators allowed into the control plane, checked against an `Authorization` header: a Bearer token
 * (API clients, scripts), or HTTP Basic with the name as user and the token as password (a browser, for
 * Bull Board). Authentication answers the operator's name, which the audit log records as the actor.
 */
export class AdminCredentials {
  private readonly entries: { name: string; token: Buffer }[];

  constructor(credentials: AdminCredential[]) {
    if (credentials.length === 0) throw new Error('At least one admin credential is required');
    this.entries = credentials.map((c) => ({ name: c.name, token: Buffer.from(c.token) }));
  }

  static fromEnv(raw: string | undefined): AdminCredentials {
    const { credentials, problems } = parseAdminTokens(raw);
    if (problems.length > 0) throw new Error(`OPS_ADMIN_TOKENS: ${problems.join('; ')}`);
    return new AdminCredentials(credentials);
  }

  get names(): string[] {
    return this.entries.map((e) => e.name);
  }

  /** The operator's name, or null when the header carries no valid credential. */
  authenticate(authorization: string | undefined): string | null {
    if (!authorization) return null;
    const space = authorization.indexOf(' ');
    if (space < 0) return null;
    const scheme = authorization.slice(0, space).toLowerCase();
    const value = authorization.slice(space + 1).trim();
    if (scheme === 'bearer') return this.byToken(Buffer.from(value));
    if (scheme === 'basic') {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0) return null;
      const name = decoded.slice(0, colon);
      const found = this.byToken(Buffer.from(decoded.slice(colon + 1)));
      return found !== null && found === name ? found : null;
    }
    return null;
  }

  /** Checks every entry, without stopping at a match, so the time taken does not tell which one matched. */
  private byToken(given: Buffer): string | null {
    let found: string | null = null;
    for (const e of this.entries) if (sameSecret(given, e.token)) found = e.name;
    return given.length > 0 ? found : null;
  }
}
