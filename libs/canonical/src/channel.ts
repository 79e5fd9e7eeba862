/** How a channel turns the stock of its location pool into the figure it exposes (docs/inventory-model.md#channel-availability-and-policies). */
export interface ChannelPolicy {
  /** Percentage of the pooled availability withheld from the channel (0–100). */
  bufferPercent: number;
  /** Units withheld per SKU after the percentage buffer. */
  holdback: number;
  /** Highest quantity ever exposed per SKU; null for no cap. */
  maxExposed: number | null;
  /** Age in seconds after which the stock data counts as stale; null disables the check. */
  stalenessSeconds: number | null;
  /** What a stale figure becomes: 0, or the buffered figure as usual. */
  staleMode: 'zero' | 'buffered';
  /** Longest a reservation may last: its expiry is never later than its creation + this many seconds. */
  maxTtlSeconds: number;
  /** Units one API client may hold across its active reservations of the channel; null for no limit. */
  maxHeldUnitsPerClient: number | null;
}

export const DEFAULT_CHANNEL_POLICY: ChannelPolicy = {
  bufferPercent: 0,
  holdback: 0,
  maxExposed: null,
  stalenessSeconds: null,
  staleMode: 'buffered',
  maxTtlSeconds: 3600,
  maxHeldUnitsPerClient: null,
};

export interface ChannelPoolMember {
  location: string;
  /** Lower is preferred when sourcing. */
  priority: number;
}

export interface Channel {
  code: string;
  name: string;
  policy: ChannelPolicy;
  pool: ChannelPoolMember[];
}

export interface LocationAvailability {
  location: string;
  available: number;
}

/** One channel's figure for one SKU as the process layer publishes it to the availability read model. */
export interface PublishedAvailability {
  channel: string;
  sku: string;
  /** Grows with every change of the pool's stock; a figure never replaces a newer one. */
  version: number;
  available: number;
  locations: LocationAvailability[];
  asOf: string;
  /** When the figure turns stale (ISO time), or null. */
  staleAt: string | null;
  /** The figure to show once stale. */
  staleAvailable: number;
}

export interface ChannelAvailability {
  channel: string;
  sku: string;
  known: boolean;
  available: number;
  locations: LocationAvailability[];
  asOf: string;
}
