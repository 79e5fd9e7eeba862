import { createHash, randomUUID } from 'node:crypto';

const NAMESPACE = Buffer.from('6f1c1d3e8a2b4f0e9d7c5b3a1f2e4d6c', 'hex');

/**
 * A name-based UUID (RFC 9562 version 5): the same name always gives the same id. Events derived from a
 * backend's own event id get one this way, so a redelivered webhook yields the very same event.
 */
export function deterministicEventId(name: string): string {
  const hash = createHash('sha1').update(NAMESPACE).update(name).digest();
  const b = Buffer.from(hash.subarray(0, 16));
  b[6] = (b[6] & 0x0f) | 0x50;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function newEventId(): string {
  return randomUUID();
}
