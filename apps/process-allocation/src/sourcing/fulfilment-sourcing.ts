import type { FulfilmentLine } from '@stockbridge/canonical';

/** A location that could ship some of an order, as the sourcing strategy sees it. */
export interface LocationCandidate {
  location: string;
  type: 'warehouse' | 'store';
  /** The channel's pool priority: lower is preferred. */
  priority: number;
  /** Great-circle distance to the ship-to point; null when either point is unknown. */
  distanceKm: number | null;
  /** Fulfilment orders it can still take today (ship-from-store capacity); null for no limit. */
  capacityLeft: number | null;
  /** Units per SKU this order may use there: available-to-sell plus what the order already holds there. */
  stock: Map<string, number>;
}

export interface SourcingAssignment {
  location: string;
  lines: FulfilmentLine[];
}

/** Where each line goes, and what no location could take. */
export interface SourcingPlan {
  assignments: SourcingAssignment[];
  unfilled: FulfilmentLine[];
}

/**
 * Decides which locations ship an order's lines (the port; issue 4 §1). Provide another class for
 * `FulfilmentSourcing` in the module to change the policy; nothing else changes.
 */
export abstract class FulfilmentSourcing {
  abstract plan(lines: FulfilmentLine[], candidates: LocationCandidate[]): SourcingPlan;
}

/**
 * The default policy: one location that can ship every line first; otherwise each line from one location
 * if any can take it whole (preferring locations already chosen, so the order ships in as few parcels as
 * possible); a line is split across locations only when no single one can serve it. Locations rank by
 * channel priority, then distance to the ship-to point, then code; a store whose ship-from-store capacity
 * for the day is used up is not chosen.
 */
export class NearestSingleLocationSourcing extends FulfilmentSourcing {
  plan(lines: FulfilmentLine[], candidates: LocationCandidate[]): SourcingPlan {
    const ranked = rank(candidates.filter((c) => c.capacityLeft === null || c.capacityLeft > 0));
    const left = new Map(ranked.map((c) => [c.location, new Map(c.stock)]));
    const capacity = new Map(ranked.map((c) => [c.location, c.capacityLeft]));
    const demand = mergeLines(lines);
    const has = (loc: string, sku: string) => left.get(loc)?.get(sku) ?? 0;

    const single = ranked.find((c) => demand.every((l) => has(c.location, l.sku) >= l.quantity));
    if (single) return { assignments: [{ location: single.location, lines: demand }], unfilled: [] };

    const chosen = new Map<string, FulfilmentLine[]>();
    const canOpen = (loc: string) => chosen.has(loc) || (capacity.get(loc) ?? 1) !== 0;
    const take = (loc: string, sku: string, quantity: number) => {
      if (!chosen.has(loc)) {
        chosen.set(loc, []);
        const cap = capacity.get(loc);
        if (cap !== null && cap !== undefined) capacity.set(loc, cap - 1);
      }
      left.get(loc)!.set(sku, has(loc, sku) - quantity);
      const list = chosen.get(loc)!;
      const line = list.find((l) => l.sku === sku);
      if (line) line.quantity += quantity;
      else list.push({ sku, quantity });
    };
    const unfilled: FulfilmentLine[] = [];
    // Lines that fewer locations can serve whole go first, so they are not crowded out.
    const order = [...demand].sort(
      (a, b) =>
        ranked.filter((c) => has(c.location, a.sku) >= a.quantity).length -
        ranked.filter((c) => has(c.location, b.sku) >= b.quantity).length,
    );
    for (const line of order) {
      const whole =
        ranked.find((c) => chosen.has(c.location) && has(c.location, line.sku) >= line.quantity) ??
        ranked.find((c) => canOpen(c.location) && has(c.location, line.sku) >= line.quantity);
      if (whole) {
        take(whole.location, line.sku, line.quantity);
        continue;
      }
      let remaining = line.quantity;
      for (const c of ranked) {
        if (remaining === 0) break;
        if (!canOpen(c.location)) continue;
        const q = Math.min(remaining, has(c.location, line.sku));
        if (q > 0) {
          take(c.location, line.sku, q);
          remaining -= q;
        }
      }
      if (remaining > 0) unfilled.push({ sku: line.sku, quantity: remaining });
    }
    const assignments = ranked
      .filter((c) => chosen.has(c.location))
      .map((c) => ({ location: c.location, lines: chosen.get(c.location)! }));
    return { assignments, unfilled };
  }
}

function rank(candidates: LocationCandidate[]): LocationCandidate[] {
  return [...candidates].sort(
    (a, b) =>
      a.priority - b.priority ||
      (a.distanceKm ?? Infinity) - (b.distanceKm ?? Infinity) ||
      (a.location < b.location ? -1 : a.location > b.location ? 1 : 0),
  );
}

function mergeLines(lines: FulfilmentLine[]): FulfilmentLine[] {
  const out = new Map<string, number>();
  for (const l of lines) out.set(l.sku, (out.get(l.sku) ?? 0) + l.quantity);
  return [...out].map(([sku, quantity]) => ({ sku, quantity }));
}
