import { signWebhook, verifyWebhook } from './webhook-signature';

describe('webhook signatures', () => {
  const body = Buffer.from('{"eventId":"e-1","qty":2}');
  const now = 1_767_225_600;

  it('accepts a signature made with the secret over the raw body within the tolerance', () => {
    expect(
      verifyWebhook(body, signWebhook(body, 'secret-one-0123456789', now), ['secret-one-0123456789'], {
        now,
      }),
    ).toEqual({ ok: true, timestamp: now });
    expect(
      verifyWebhook(body, signWebhook(body, 'secret-one-0123456789', now - 299), ['secret-one-0123456789'], {
        now,
      }).ok,
    ).toBe(true);
  });

  it('accepts either secret during a rotation', () => {
    const header = signWebhook(body, 'new-secret-0123456789', now);
    expect(verifyWebhook(body, header, ['old-secret-0123456789', 'new-secret-0123456789'], { now }).ok).toBe(
      true,
    );
  });

  it.each([
    ['no header', undefined, /missing/],
    ['a malformed header', 'v1=zz', /malformed/],
    ['a short mac', `t=${now},v1=abcd`, /malformed/],
    ['a stale timestamp', signWebhook(body, 'secret-one-0123456789', now - 301), /tolerance/],
    ['a timestamp from the future', signWebhook(body, 'secret-one-0123456789', now + 301), /tolerance/],
    ['another secret', signWebhook(body, 'other-secret-012345678', now), /does not match/],
    [
      'a changed body',
      signWebhook(Buffer.from('{"eventId":"e-1","qty":3}'), 'secret-one-0123456789', now),
      /does not match/,
    ],
  ])('refuses %s', (_name, header, reason) => {
    const check = verifyWebhook(body, header, ['secret-one-0123456789'], { now });
    expect(check.ok).toBe(false);
    expect(check.ok ? '' : check.reason).toMatch(reason);
  });
});
