import type { Shortage } from '@stockbridge/canonical';

export interface SourcingLine {
  sku: string;
  quantity: number;
  /** Set when the caller chose the location; the strategy then only checks it. */
  location?: string;
}

export interface SourcingCandidate {
  location: string;
  /** Lower is preferred. */
  priority: number;
  available: number;
}

export interface PlannedAllocation {
  sku: string;
  location: string;
  quantity: number;
}

export type SourcingPlan =
  { ok: true; allocations: PlannedAllocation[] } | { ok: false; shortages: Shortage[] };

/** Decides which locations serve a reservation's lines. Swap the implementation to change the policy. */
export abstract class SourcingStrategy {
  /**
   * @param candidates per SKU, the locations of the channel's pool with their available-to-sell
   */
  abstract plan(lines: SourcingLine[], candidates: Map<string, SourcingCandidate[]>): SourcingPlan;
}

/**
 * Default policy: one location that can serve every unlocated line (by pool priority, then code), so a
 * checkout ships from one place; otherwise split each line across locations in priority order.
 */
export class SingleLocationFirstSourcing extends SourcingStrategy {
  plan(lines: SourcingLine[], candidates: Map<string, SourcingCandidate[]>): SourcingPlan {
    const used = new Map<string, number>(); // `${sku}|${location}` → units already planned
    const availableAt = (sku: string, location: string) => {
      const c = (candidates.get(sku) ?? []).find((x) => x.location === location);
      return Math.max(0, (c?.available ?? 0) - (used.get(`${sku}|${location}`) ?? 0));
    };
    const take = (sku: string, location: string, qty: number) =>
      used.set(`${sku}|${location}`, (used.get(`${sku}|${location}`) ?? 0) + qty);

    const allocations: PlannedAllocation[] = [];
    const shortBySku = new Map<string, { requested: number; available: number }>();
    const noteShort = (sku: string, requested: number, available: number) => {
      const prev = shortBySku.get(sku);
      shortBySku.set(sku, {
        requested: (prev?.requested ?? 0) + requested,
        available: Math.max(prev?.available ?? 0, available),
      });
    };

    for (const line of lines.filter((l) => l.location !== undefined)) {
      const location = line.location as string;
      const avail = availableAt(line.sku, location);
      if (avail >= line.quantity) {
        take(line.sku, location, line.quantity);
        allocations.push({ sku: line.sku, location, quantity: line.quantity });
      } else noteShort(line.sku, line.quantity, avail);
    }

    const open = lines.filter((l) => l.location === undefined);
    if (open.length > 0) {
      const demand = new Map<string, number>();
      for (const l of open) demand.set(l.sku, (demand.get(l.sku) ?? 0) + l.quantity);
      const locations = orderedLocations(candidates);
      const single = locations.find((loc) => [...demand].every(([sku, qty]) => availableAt(sku, loc) >= qty));
      if (single !== undefined) {
        for (const l of open) {
          take(l.sku, single, l.quantity);
          allocations.push({ sku: l.sku, location: single, quantity: l.quantity });
        }
      } else {
        for (const l of open) {
          let remaining = l.quantity;
          const parts: PlannedAllocation[] = [];
          for (const c of sortByPriority(candidates.get(l.sku) ?? [])) {
            if (remaining === 0) break;
            const q = Math.min(remaining, availableAt(l.sku, c.location));
            if (q > 0) {
              parts.push({ sku: l.sku, location: c.location, quantity: q });
              take(l.sku, c.location, q);
              remaining -= q;
            }
          }
          if (remaining === 0) allocations.push(...parts);
          else {
            const pooled = (candidates.get(l.sku) ?? []).reduce(
              (sum, c) => sum + Math.max(0, c.available),
              0,
            );
            noteShort(l.sku, l.quantity, pooled);
          }
        }
      }
    }

    if (shortBySku.size > 0) {
      return {
        ok: false,
        shortages: [...shortBySku].map(([sku, s]) => ({
          sku,
          requested: s.requested,
          available: s.available,
        })),
      };
    }
    return { ok: true, allocations: mergeAllocations(allocations) };
  }
}

function sortByPriority(cands: SourcingCandidate[]): SourcingCandidate[] {
  return [...cands].sort((a, b) => a.priority - b.priority || (a.location < b.location ? -1 : 1));
}

function orderedLocations(candidates: Map<string, SourcingCandidate[]>): string[] {
  const best = new Map<string, number>();
  for (const list of candidates.values())
    for (const c of list) best.set(c.location, Math.min(best.get(c.location) ?? Infinity, c.priority));
  return [...best].sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1)).map(([loc]) => loc);
}

/** Two lines of one SKU sourced from one location become one allocation. */
export function mergeAllocations(list: PlannedAllocation[]): PlannedAllocation[] {
  const out = new Map<string, PlannedAllocation>();
  for (const a of list) {
    const key = `${a.sku}|${a.location}`;
    const prev = out.get(key);
    if (prev) prev.quantity += a.quantity;
    else out.set(key, { ...a });
  }
  return [...out.values()];
}
