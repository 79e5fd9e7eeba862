import { createHmac } from 'node:crypto';

/** `X-Wms-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`, made fresh per send. */
export function webhookSignature(secret: string, rawBody: string, unixSeconds: number): string {
  const v1 = createHmac('sha256', secret).update(`${unixSeconds}.${rawBody}`).digest('hex');
  return `t=${unixSeconds},v1=${v1}`;
}

/** The headers of one webhook send. */
export function webhookHeaders(
  secret: string,
  eventId: string,
  rawBody: string,
  now: Date = new Date(),
): Record<string, string> {
  return {
    'content-type': 'application/json',
    'x-wms-event-id': eventId,
    'x-wms-signature': webhookSignature(secret, rawBody, Math.floor(now.getTime() / 1000)),
  };
}
