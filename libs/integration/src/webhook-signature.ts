import { createHmac, timingSafeEqual } from 'node:crypto';

export type SignatureCheck = { ok: true; timestamp: number } | { ok: false; reason: string };

/**
 * Signs a webhook body the way our backends' webhooks are signed (Stripe's scheme): header
 * `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`.
 */
export function signWebhook(
  rawBody: Buffer | string,
  secret: string,
  timestamp = Math.floor(Date.now() / 1000),
): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
  return `t=${timestamp},v1=${mac}`;
}

/**
 * Verifies a signature header over the raw body bytes (never re-serialised JSON): the timestamp within the
 * tolerance (replay window), then a timing-safe compare against every current secret (rotation keeps two).
 */
export function verifyWebhook(
  rawBody: Buffer,
  header: string | undefined,
  secrets: readonly string[],
  options: { toleranceSeconds?: number; now?: number } = {},
): SignatureCheck {
  if (!header) return { ok: false, reason: 'missing signature header' };
  let timestamp: number | undefined;
  const given: Buffer[] = [];
  for (const part of header.split(',')) {
    const [k, v] = part.trim().split('=', 2);
    if (k === 't' && v && /^\d{1,12}$/.test(v)) timestamp = Number(v);
    else if (k === 'v1' && v && /^[0-9a-f]{64}$/i.test(v)) given.push(Buffer.from(v, 'hex'));
  }
  if (timestamp === undefined || given.length === 0)
    return { ok: false, reason: 'malformed signature header' };
  const now = options.now ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestamp) > (options.toleranceSeconds ?? 300))
    return { ok: false, reason: 'signature timestamp outside the tolerance' };
  for (const secret of secrets) {
    const expected = createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest();
    for (const g of given) {
      if (g.length === expected.length && timingSafeEqual(g, expected)) return { ok: true, timestamp };
    }
  }
  return { ok: false, reason: 'signature does not match' };
}
