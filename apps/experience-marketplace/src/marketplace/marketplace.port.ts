/** One listing's new quantity, in the platform's SKU (the marketplace's seller-defined SKU is the same code). */
export interface QuantityUpdate {
  sku: string;
  quantity: number;
}

/** What the marketplace did with one update of a call. */
export type QuantityOutcome =
  | { sku: string; applied: true }
  | {
      sku: string;
      applied: false;
      /** The marketplace's error code (eBay's errorId), as text. */
      code: string;
      /** The marketplace's message. */
      reason: string;
      /** The marketplace's error as it answered it (for the dead letter). */
      details: Record<string, unknown>;
      /** The marketplace does not list the SKU (eBay: 404, 25702): no figure of it can apply. */
      unlisted: boolean;
    };

/** A listing's quantity as the marketplace holds it. */
export interface ListedQuantity {
  sku: string;
  quantity: number;
}

/** One page of the marketplace's listings, and where the next starts (null after the last). */
export interface ListingPage {
  items: ListedQuantity[];
  next: string | null;
}

/** Why a call to the marketplace failed as a whole (per-SKU refusals are outcomes, not errors). */
export type MarketplaceFailure =
  /** Past the marketplace's rate limit (429): no call before `retryAfterMs`. */
  | 'rate-limited'
  /** Down, overloaded or unreachable (5xx, timeout, connection error): retried with backoff. */
  | 'unavailable'
  /** Our credentials were refused (401/403): retried after a pause, loudly. */
  | 'unauthorized'
  /** The call was refused as a whole (another 4xx): every SKU of it is refused with this reason. */
  | 'refused';

export class MarketplaceCallError extends Error {
  constructor(
    readonly failure: MarketplaceFailure,
    message: string,
    /** The HTTP status, when the marketplace answered. */
    readonly status: number | null = null,
    /** From Retry-After, when the marketplace sent one. */
    readonly retryAfterMs: number | null = null,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'MarketplaceCallError';
  }
}

/**
 * A marketplace as the channel needs it: quantities out, and (next) orders in. Ports are abstract classes used
 * as DI tokens (docs/architecture.md#code-conventions); a second marketplace is a second adapter.
 * Every method makes exactly one call to the marketplace, so that the caller can pace calls to its rate limit;
 * failures of a whole call are `MarketplaceCallError`s.
 */
export abstract class MarketplacePort {
  /** For logs and metrics: `ebay`. */
  abstract readonly name: string;
  /** The most updates one `pushQuantities` call takes. */
  abstract readonly maxBatch: number;

  /** Sets the quantity of each listing; one outcome per update, in the same order. */
  abstract pushQuantities(batch: QuantityUpdate[], signal?: AbortSignal): Promise<QuantityOutcome[]>;

  /** One page of every listing's quantity; start with `null`, then pass `next` until it is null. */
  abstract listQuantities(page: string | null, signal?: AbortSignal): Promise<ListingPage>;

  /** Releases connections. */
  abstract close(): Promise<void>;
}
