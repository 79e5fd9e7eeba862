/** What a reconciliation run does with a location's variance (a column of `locations`). */
export type ReconciliationPolicy = 'trust-wms' | 'trust-erp' | 'report-only';

export const RECONCILIATION_POLICIES: readonly ReconciliationPolicy[] = [
  'trust-wms',
  'trust-erp',
  'report-only',
];

/** `${sku}@${location}` */
export type LineKey = string;
export const lineKey = (sku: string, location: string): LineKey => `${sku}@${location}`;

export interface ReconciliationInput {
  /** On hand per SKU and location in the ledger. */
  ledger: Map<LineKey, number>;
  /** The ERP's and the WMS's on hand, or null when the snapshot could not be taken. */
  erp: Map<LineKey, number> | null;
  wms: Map<LineKey, number> | null;
  /** Locations each snapshot covers: a SKU missing there counts as 0; elsewhere the side has no figure. */
  erpLocations: Set<string>;
  wmsLocations: Set<string>;
  prices: Map<string, number>;
  /** Per line, per channel: what the channel was last sent for that location, and what it should show now. */
  sent: Map<LineKey, Record<string, number>>;
  expected: Map<LineKey, Record<string, number>>;
}

export interface VarianceLine {
  sku: string;
  location: string;
  ledgerOnHand: number | null;
  erpOnHand: number | null;
  wmsOnHand: number | null;
  /** Backend minus ledger; null when either has no figure. */
  erpVariance: number | null;
  wmsVariance: number | null;
  unitPriceCents: number;
  /** The larger absolute variance × unit price: what a wrong figure can cost in sales or oversells. */
  exposureCents: number;
  channelsSent: Record<string, number>;
  channelsExpected: Record<string, number>;
}

export type ExceptionKind = 'erp-variance' | 'wms-variance' | 'channel-drift';

export interface VarianceException {
  sku: string;
  location: string;
  kind: ExceptionKind;
  variance: number;
  exposureCents: number;
}

const split = (key: LineKey): [string, string] => {
  const at = key.lastIndexOf('@');
  return [key.slice(0, at), key.slice(at + 1)];
};

function sideFigure(
  side: Map<LineKey, number> | null,
  covered: Set<string>,
  key: LineKey,
  location: string,
): number | null {
  if (!side) return null;
  const v = side.get(key);
  if (v !== undefined) return v;
  return covered.has(location) ? 0 : null;
}

/** Compares every SKU and location any side knows. Pure: the run's figures in, its lines out. */
export function compareFigures(input: ReconciliationInput): VarianceLine[] {
  const keys = new Set<LineKey>([
    ...input.ledger.keys(),
    ...(input.erp?.keys() ?? []),
    ...(input.wms?.keys() ?? []),
  ]);
  const lines: VarianceLine[] = [];
  for (const key of [...keys].sort()) {
    const [sku, location] = split(key);
    const ledgerOnHand = input.ledger.get(key) ?? null;
    const erpOnHand = sideFigure(input.erp, input.erpLocations, key, location);
    const wmsOnHand = sideFigure(input.wms, input.wmsLocations, key, location);
    const base = ledgerOnHand ?? 0;
    const erpVariance = erpOnHand === null ? null : erpOnHand - base;
    const wmsVariance = wmsOnHand === null ? null : wmsOnHand - base;
    const unitPriceCents = input.prices.get(sku) ?? 0;
    const worst = Math.max(Math.abs(erpVariance ?? 0), Math.abs(wmsVariance ?? 0));
    lines.push({
      sku,
      location,
      ledgerOnHand,
      erpOnHand,
      wmsOnHand,
      erpVariance,
      wmsVariance,
      unitPriceCents,
      exposureCents: worst * unitPriceCents,
      channelsSent: input.sent.get(key) ?? {},
      channelsExpected: input.expected.get(key) ?? {},
    });
  }
  return lines;
}

/**
 * Exceptions for variances over the threshold (in units) and for channels whose last figure differs from
 * what they should show, ranked by revenue exposure (units × price), largest first.
 */
export function exceptionsFor(lines: VarianceLine[], thresholdUnits: number): VarianceException[] {
  const out: VarianceException[] = [];
  for (const l of lines) {
    const exposure = (units: number) => Math.abs(units) * l.unitPriceCents;
    if (l.erpVariance !== null && Math.abs(l.erpVariance) > thresholdUnits) {
      out.push({
        sku: l.sku,
        location: l.location,
        kind: 'erp-variance',
        variance: l.erpVariance,
        exposureCents: exposure(l.erpVariance),
      });
    }
    if (l.wmsVariance !== null && Math.abs(l.wmsVariance) > thresholdUnits) {
      out.push({
        sku: l.sku,
        location: l.location,
        kind: 'wms-variance',
        variance: l.wmsVariance,
        exposureCents: exposure(l.wmsVariance),
      });
    }
    let drift = 0;
    for (const [channel, sent] of Object.entries(l.channelsSent)) {
      const expected = l.channelsExpected[channel];
      if (expected !== undefined && Math.abs(sent - expected) > Math.abs(drift)) drift = sent - expected;
    }
    if (drift !== 0)
      out.push({
        sku: l.sku,
        location: l.location,
        kind: 'channel-drift',
        variance: drift,
        exposureCents: exposure(drift),
      });
  }
  return out.sort(
    (a, b) =>
      b.exposureCents - a.exposureCents || a.sku.localeCompare(b.sku) || a.location.localeCompare(b.location),
  );
}

/** Which on-hand figure a line's location trusts, if any: the correction the run journals. Null: report only. */
export abstract class CorrectionPolicy {
  abstract target(line: VarianceLine, policy: ReconciliationPolicy): number | null;
}

/** The default: the location's configured policy, when that side has a figure that differs from the ledger. */
export class LocationCorrectionPolicy extends CorrectionPolicy {
  target(line: VarianceLine, policy: ReconciliationPolicy): number | null {
    const trusted = policy === 'trust-wms' ? line.wmsOnHand : policy === 'trust-erp' ? line.erpOnHand : null;
    if (trusted === null || trusted === (line.ledgerOnHand ?? 0)) return null;
    return trusted;
  }
}
