import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Backend } from '../faults/faults';

/**
 * The credential one stand-in backend's native API demands, as its variable `SANDBOX_<BACKEND>_AUTH` says:
 * - `api-key:<header>:<key>`: the key in that header;
 * - `basic:<username>:<password>`: HTTP basic;
 * - `oauth2:<client id>:<client secret>`: a bearer token from `POST /oauth/token` (client credentials grant).
 * Unset: the backend authenticates nothing.
 */
export type NativeCredential =
  | { kind: 'api-key'; header: string; key: string }
  | { kind: 'basic'; username: string; password: string }
  | { kind: 'oauth2'; clientId: string; clientSecret: string };

export const AUTH_VARIABLES: Record<Backend, string> = {
  erp: 'SANDBOX_ERP_AUTH',
  wms: 'SANDBOX_WMS_AUTH',
  oms: 'SANDBOX_OMS_AUTH',
  marketplace: 'SANDBOX_MARKETPLACE_AUTH',
};

const MIN_SECRET = 8;

/** Parses one `SANDBOX_<BACKEND>_AUTH` value; problems never quote the secret. */
export function parseNativeCredential(raw: string): { credential?: NativeCredential; problem?: string } {
  const first = raw.indexOf(':');
  const second = first < 0 ? -1 : raw.indexOf(':', first + 1);
  if (second < 0)
    return { problem: 'must be api-key:<header>:<key>, basic:<user>:<password> or oauth2:<id>:<secret>' };
  const kind = raw.slice(0, first);
  const name = raw.slice(first + 1, second);
  const secret = raw.slice(second + 1);
  if (name === '') return { problem: `the ${kind === 'api-key' ? 'header' : 'name'} is empty` };
  if (secret.length < MIN_SECRET) return { problem: `the secret must be at least ${MIN_SECRET} characters` };
  switch (kind) {
    case 'api-key':
      if (!/^[A-Za-z0-9-]{1,64}$/.test(name)) return { problem: 'the header must be an HTTP header name' };
      return { credential: { kind, header: name.toLowerCase(), key: secret } };
    case 'basic':
      return { credential: { kind, username: name, password: secret } };
    case 'oauth2':
      return { credential: { kind, clientId: name, clientSecret: secret } };
    default:
      return { problem: 'the scheme must be api-key, basic or oauth2' };
  }
}

/** Constant-time comparison of two strings of any length (both hashed to the same length first). */
export function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b) && given.length === expected.length;
}

/** `Basic base64(user:password)` → [user, password], or null. */
export function parseBasic(header: string | undefined): [string, string] | null {
  if (!header?.startsWith('Basic ')) return null;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? null : [decoded.slice(0, colon), decoded.slice(colon + 1)];
}

function b64url(data: string | Buffer): string {
  return Buffer.from(data).toString('base64url');
}

/**
 * Access tokens of the sandbox's token endpoint: `<payload>.<signature>`, the payload naming the backend and
 * the expiry, signed with the client secret (HMAC-SHA256). Stateless, so every sandbox instance accepts
 * them, and changing a secret revokes its tokens.
 */
export function issueToken(backend: Backend, clientSecret: string, expiresAtMs: number): string {
  const payload = b64url(JSON.stringify({ b: backend, exp: expiresAtMs }));
  return `${payload}.${b64url(createHmac('sha256', clientSecret).update(payload).digest())}`;
}

export function tokenValid(token: string, backend: Backend, clientSecret: string, nowMs: number): boolean {
  const dot = token.indexOf('.');
  if (dot < 0) return false;
  const payload = token.slice(0, dot);
  const expected = b64url(createHmac('sha256', clientSecret).update(payload).digest());
  if (!sameSecret(token.slice(dot + 1), expected)) return false;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
      b?: unknown;
      exp?: unknown;
    };
    return claims.b === backend && typeof claims.exp === 'number' && claims.exp > nowMs;
  } catch {
    return false;
  }
}

/** Does this request carry the backend's credential? */
export function authenticated(
  credential: NativeCredential,
  backend: Backend,
  headers: Record<string, string | string[] | undefined>,
  nowMs: number,
): boolean {
  const one = (name: string) => {
    const v = headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  switch (credential.kind) {
    case 'api-key':
      return sameSecret(one(credential.header) ?? '', credential.key);
    case 'basic': {
      const given = parseBasic(one('authorization'));
      // Both compared, always: no early exit on the user name.
      const user = sameSecret(given?.[0] ?? '', credential.username);
      const password = sameSecret(given?.[1] ?? '', credential.password);
      return given !== null && user && password;
    }
    case 'oauth2': {
      const header = one('authorization') ?? '';
      return (
        header.startsWith('Bearer ') && tokenValid(header.slice(7), backend, credential.clientSecret, nowMs)
      );
    }
  }
}
