import { webhookHeaders, webhookSignature } from './webhook-signature';

describe('webhook signature', () => {
  const raw = '{"eventId":"e-1","qty":2}';

  it('is HMAC-SHA256 over "<t>.<raw body>" in lowercase hex (vector from openssl dgst -sha256 -hmac)', () => {
    expect(webhookSignature('whsec-test', raw, 1767225600)).toBe(
      't=1767225600,v1=097c67d9003e0cc93c24e7c1c8b56e8d4a0280588ba79776c84c54a0932bb657',
    );
  });

  it('changes with the timestamp, the body and the secret', () => {
    const base = webhookSignature('whsec-test', raw, 1767225600);
    expect(webhookSignature('whsec-test', raw, 1767225601)).not.toBe(base);
    expect(webhookSignature('whsec-test', raw.replace('2', '3'), 1767225600).split(',')[1]).not.toBe(
      base.split(',')[1],
    );
    expect(webhookSignature('other', raw, 1767225600).split(',')[1]).not.toBe(base.split(',')[1]);
  });

  it('signs at send time, in unix seconds, and names the event', () => {
    const headers = webhookHeaders('whsec-test', 'e-1', raw, new Date(1767225600_999));
    expect(headers).toEqual({
      'content-type': 'application/json',
      'x-wms-event-id': 'e-1',
      'x-wms-signature': webhookSignature('whsec-test', raw, 1767225600),
    });
  });
});
