import type { Bucket, Buckets } from '@stockbridge/canonical';
import { assertNever } from './ledger.error';
import type { OrderMovementKind } from './order-stock';

/**
 * Movement kinds a source system (ERP, WMS, POS, CLI) may report. Reservation movements
 * (reserve / release / expire) are not in this list: only the reservation operations make them.
 */
export const EXTERNAL_MOVEMENT_KINDS = [
  'receive',
  'adjust',
  'count',
  'damage',
  'dispose-damaged',
  'quarantine',
  'release-quarantine',
  'scrap-quarantine',
  'set-safety-stock',
  'expect-incoming',
  'ship',
  'transfer-out',
  'transfer-in',
] as const;
export type ExternalMovementKind = (typeof EXTERNAL_MOVEMENT_KINDS)[number];

/** `collect`: a click-and-collect reservation's units leave the store (−reserved, −on hand). */
export const RESERVATION_MOVEMENT_KINDS = ['reserve', 'release', 'expire', 'collect'] as const;
export type ReservationMovementKind = (typeof RESERVATION_MOVEMENT_KINDS)[number];

/**
 * Movements of a store's till transactions (docs/inventory-model.md#store-transactions); only the store
 * transaction operation makes them. `store-sale` takes what is free from on hand and counts the rest as
 * oversold; `store-return` adds to on hand; `store-void` undoes a sale or a return.
 */
export const STORE_MOVEMENT_KINDS = ['store-sale', 'store-return', 'store-void'] as const;
export type StoreMovementKind = (typeof STORE_MOVEMENT_KINDS)[number];

export type MovementKind =
  ExternalMovementKind | ReservationMovementKind | OrderMovementKind | StoreMovementKind;

/** What a quantity means for a kind: a signed change, a positive change, or an absolute new value. */
export type QuantityRule = 'positive' | 'signed' | 'absolute';

export interface KindRule {
  quantity: QuantityRule;
  /** For 'absolute', the bucket that is set; otherwise unused. */
  target?: Bucket;
  /** For relative kinds: the multiplier per bucket applied to the quantity. */
  effect?: Partial<Buckets>;
  /** Whether the movement reports physical stock from a source system (refreshes the staleness clock). */
  observation: boolean;
}

export function kindRule(kind: ExternalMovementKind): KindRule {
  switch (kind) {
    case 'receive':
      return { quantity: 'positive', effect: { onHand: 1 }, observation: true };
    case 'adjust':
      return { quantity: 'signed', effect: { onHand: 1 }, observation: true };
    case 'count':
      return { quantity: 'absolute', target: 'onHand', observation: true };
    case 'damage':
      return { quantity: 'positive', effect: { damaged: 1 }, observation: true };
    case 'dispose-damaged':
      return { quantity: 'positive', effect: { damaged: -1, onHand: -1 }, observation: true };
    case 'quarantine':
      return { quantity: 'positive', effect: { qualityControl: 1 }, observation: true };
    case 'release-quarantine':
      return { quantity: 'positive', effect: { qualityControl: -1 }, observation: true };
    case 'scrap-quarantine':
      return { quantity: 'positive', effect: { qualityControl: -1, onHand: -1 }, observation: true };
    case 'set-safety-stock':
      return { quantity: 'absolute', target: 'safetyStock', observation: false };
    case 'expect-incoming':
      return { quantity: 'signed', effect: { incoming: 1 }, observation: false };
    case 'ship':
    case 'transfer-out':
      return { quantity: 'positive', effect: { onHand: -1 }, observation: true };
    case 'transfer-in':
      return { quantity: 'positive', effect: { onHand: 1 }, observation: true };
    default:
      return assertNever(kind);
  }
}

/** Deltas for a relative kind; absolute kinds are resolved against the locked row by the ledger. */
export function relativeDeltas(rule: KindRule, quantity: number): Partial<Buckets> {
  const out: Partial<Buckets> = {};
  for (const [bucket, factor] of Object.entries(rule.effect ?? {}) as [Bucket, number][]) {
    out[bucket] = factor * quantity;
  }
  return out;
}

export function validateQuantity(rule: KindRule, quantity: number): string | null {
  if (!Number.isSafeInteger(quantity)) return 'quantity must be an integer';
  if (rule.quantity === 'positive' && quantity <= 0) return 'quantity must be greater than 0';
  if (rule.quantity === 'signed' && quantity === 0) return 'quantity must not be 0';
  if (rule.quantity === 'absolute' && quantity < 0) return 'quantity must be 0 or more';
  if (Math.abs(quantity) > 1_000_000_000) return 'quantity must be at most 1000000000 in size';
  return null;
}
