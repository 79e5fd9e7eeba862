import type { LocationAvailability, PublishedAvailability } from '@stockbridge/canonical';
import type { Redis } from 'ioredis';

export type { PublishedAvailability };

export interface ReadAvailability {
  sku: string;
  known: boolean;
  available: number;
  locations: LocationAvailability[];
  asOf: string | null;
  stale: boolean;
}

// Writes a field only when its version is not older than the stored one, so that two publishers racing
// can never leave an older figure on top of a newer one.
const PUBLISH_SCRIPT = `
for i = 1, #KEYS do
  local field = ARGV[i * 3 - 2]
  local version = tonumber(ARGV[i * 3 - 1])
  local current = redis.call('HGET', KEYS[i], field)
  if (not current) or tonumber(string.match(current, '^(%d+)|')) <= version then
    redis.call('HSET', KEYS[i], field, version .. '|' .. ARGV[i * 3])
  end
end
return #KEYS`;

interface Stored {
  a: number;
  l: [string, number][];
  t: string;
  s: string | null;
  z: number;
}

/**
 * The availability read model in Redis: one hash per channel, one field per SKU. The process layer
 * writes it after every stock change; experience APIs read it (and nothing else of the ledger).
 */
export class AvailabilityReadModel {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(channel: string): string {
    return `${this.prefix}availability:${channel}`;
  }

  async publish(items: PublishedAvailability[], batchSize = 500): Promise<void> {
    for (let i = 0; i < items.length; i += batchSize) {
      const batch = items.slice(i, i + batchSize);
      const keys = batch.map((b) => this.key(b.channel));
      const args = batch.flatMap((b) => {
        const stored: Stored = {
          a: b.available,
          l: b.locations.map((l) => [l.location, l.available]),
          t: b.asOf,
          s: b.staleAt,
          z: b.staleAvailable,
        };
        return [b.sku, String(b.version), JSON.stringify(stored)];
      });
      await this.redis.eval(PUBLISH_SCRIPT, keys.length, ...keys, ...args);
    }
  }

  async read(channel: string, skus: string[], now = new Date()): Promise<ReadAvailability[]> {
    if (skus.length === 0) return [];
    const values = await this.redis.hmget(this.key(channel), ...skus);
    return skus.map((sku, i) => {
      const raw = values[i];
      if (!raw) return { sku, known: false, available: 0, locations: [], asOf: null, stale: false };
      const stored = JSON.parse(raw.slice(raw.indexOf('|') + 1)) as Stored;
      const stale = stored.s !== null && now.getTime() >= Date.parse(stored.s);
      const cap = stale ? stored.z : stored.a;
      return {
        sku,
        known: true,
        available: cap,
        locations: stored.l.map(([location, available]) => ({
          location,
          available: Math.min(available, cap),
        })),
        asOf: stored.t,
        stale,
      };
    });
  }
}
