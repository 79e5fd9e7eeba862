/**
 * What a store's till transactions do to a level (docs/inventory-model.md#store-transactions), as pure
 * arithmetic on the level read under its row lock: the store transaction operation journals the result.
 */
export interface StoreLevelState {
  onHand: number;
  reserved: number;
  allocated: number;
  damaged: number;
  qualityControl: number;
  oversold: number;
}

/** The change one line makes to its level: on hand and oversold, the only buckets a till moves. */
export interface StoreDelta {
  onHand: number;
  oversold: number;
}

/** Units on hand that nothing holds: what a till can sell without overselling (never below 0). */
export function freeUnits(l: StoreLevelState): number {
  return Math.max(0, l.onHand - l.reserved - l.allocated - l.damaged - l.qualityControl);
}

/**
 * A sale (it already happened, so it is never refused): what is free leaves on hand, the rest is oversold.
 * Updates `state` for the next line of the same level.
 */
export function saleDelta(state: StoreLevelState, quantity: number): StoreDelta {
  const taken = Math.min(quantity, freeUnits(state));
  const delta = { onHand: taken > 0 ? -taken : 0, oversold: quantity - taken };
  apply(state, delta);
  return delta;
}

/** A return: the units are back on hand. */
export function returnDelta(state: StoreLevelState, quantity: number): StoreDelta {
  const delta = { onHand: quantity, oversold: 0 };
  apply(state, delta);
  return delta;
}

/**
 * Undoes one line of a voided transaction, given the delta that line made. A sale's units come back: first
 * off oversold (as much of the sale's oversold part as the level still counts), the rest onto on hand — so a
 * void undoes its sale exactly unless a count settled the level in between. A return's units go out again,
 * as a sale's do.
 */
export function voidDelta(state: StoreLevelState, original: StoreDelta): StoreDelta {
  if (original.onHand > 0) return saleDelta(state, original.onHand);
  const units = -original.onHand + original.oversold;
  const offOversold = Math.min(original.oversold, state.oversold);
  const delta = { onHand: units - offOversold, oversold: -offOversold };
  apply(state, delta);
  return delta;
}

function apply(state: StoreLevelState, delta: StoreDelta): void {
  state.onHand += delta.onHand;
  state.oversold += delta.oversold;
}
