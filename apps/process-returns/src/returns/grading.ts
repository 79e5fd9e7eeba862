import type { OrderMovementKind } from '@stockbridge/ledger';
import type { PostingDraft } from '@stockbridge/orders';
import { assertOncePerSku } from './return-rules';
import { type Grade, type GradeLine, GRADES, type Rma } from './rma';
import { ReturnError } from './return.error';

/** The ledger movement and the posting reason of each grade. */
export const GRADE_RULES: Record<Grade, { movement: OrderMovementKind; reason: string }> = {
  resell: { movement: 'grade-resell', reason: 'return-resell' },
  damaged: { movement: 'grade-damaged', reason: 'return-damaged' },
  destroy: { movement: 'grade-destroy', reason: 'return-destroy' },
};

export const REFUND_REASON = 'return-refund';

/** What one unit of a SKU of the order was sold for and cost. */
export interface UnitValue {
  priceCents: number;
  costCents: number;
}

/** One stock movement a grading makes. */
export interface GradeMovement {
  kind: OrderMovementKind;
  sku: string;
  quantity: number;
  /** Stable per return, grade and SKU: a repeated grading cannot move stock twice. */
  sourceEventId: string;
}

const units = (l: GradeLine) => l.resell + l.damaged + l.destroy;
const bySku = <T extends { sku: string }>(a: T, b: T) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0);

/**
 * Checks a grading against what was received: every SKU on the return, whole units ≥ 0, and per SKU the
 * grades add up exactly to the units received (SKUs left out count as nothing graded). Returns one line per
 * SKU of the return, in SKU order.
 */
export function checkGrades(rma: Rma, lines: GradeLine[]): GradeLine[] {
  assertOncePerSku(lines);
  const onRma = new Set(rma.lines.map((l) => l.sku));
  const unknown = lines.filter((l) => !onRma.has(l.sku)).map((l) => l.sku);
  if (unknown.length > 0)
    throw new ReturnError('sku-not-on-rma', `Return ${rma.id} has no line for ${unknown.join(', ')}.`, {
      skus: unknown,
    });
  const invalid = lines.filter((l) => GRADES.some((g) => !Number.isSafeInteger(l[g]) || l[g] < 0));
  if (invalid.length > 0)
    throw new ReturnError(
      'grade-mismatch',
      `Grades are whole units of 0 or more (${invalid.map((l) => l.sku).join(', ')}).`,
    );
  const given = new Map(lines.map((l) => [l.sku, l]));
  const graded = rma.lines
    .map((l) => given.get(l.sku) ?? { sku: l.sku, resell: 0, damaged: 0, destroy: 0 })
    .map((l) => ({ sku: l.sku, resell: l.resell, damaged: l.damaged, destroy: l.destroy }))
    .sort(bySku);
  const received = new Map(rma.lines.map((l) => [l.sku, l.received]));
  const mismatched = graded.filter((l) => units(l) !== received.get(l.sku));
  if (mismatched.length > 0)
    throw new ReturnError(
      'grade-mismatch',
      mismatched
        .map(
          (l) =>
            `${l.sku}: ${l.resell} resell + ${l.damaged} damaged + ${l.destroy} destroy = ${units(l)}, but ${received.get(l.sku)} were received`,
        )
        .join('; ') + '. Grade every received unit exactly once.',
      {
        mismatches: mismatched.map((l) => ({
          sku: l.sku,
          graded: units(l),
          received: received.get(l.sku),
        })),
      },
    );
  return graded;
}

/** Whether a repeated grading says what the recorded one said. */
export function sameGrades(rma: Rma, lines: GradeLine[]): boolean {
  const given = new Map(lines.map((l) => [l.sku, l]));
  if (lines.length !== given.size) return false;
  if ([...given.keys()].some((sku) => !rma.lines.some((l) => l.sku === sku))) return false;
  return rma.lines.every((l) => {
    const g = given.get(l.sku) ?? { resell: 0, damaged: 0, destroy: 0 };
    return g.resell === l.resell && g.damaged === l.damaged && g.destroy === l.destroyed;
  });
}

/** The ledger movements of a grading: one per SKU and grade with units, in a fixed (lock) order. */
export function gradeMovements(rmaId: string, graded: GradeLine[]): GradeMovement[] {
  return [...graded].sort(bySku).flatMap((l) =>
    GRADES.filter((g) => l[g] > 0).map((g) => ({
      kind: GRADE_RULES[g].movement,
      sku: l.sku,
      quantity: l[g],
      sourceEventId: `rma:${rmaId}:grade:${g}:${l.sku}`,
    })),
  );
}

/**
 * The accounting entries of a grading: one refund of the price of every graded unit, and one inventory
 * adjustment at cost per grade used. Each has a key of the return's own, so it is booked at most once.
 */
export function returnPostings(
  rma: Pick<Rma, 'id' | 'orderId' | 'channel'> & { location: string },
  graded: GradeLine[],
  values: Map<string, UnitValue>,
): PostingDraft[] {
  const value = (sku: string) => {
    const v = values.get(sku);
    if (!v) throw new Error(`No price or cost of ${sku} on order ${rma.orderId}`);
    return v;
  };
  const lines = [...graded].sort(bySku).filter((l) => units(l) > 0);
  const base = {
    channel: rma.channel,
    orderId: rma.orderId,
    rmaId: rma.id,
    reference: `return ${rma.id} of order ${rma.orderId}`,
  };
  const refund: PostingDraft = {
    ...base,
    postingKey: `refund:${rma.id}`,
    kind: 'refund',
    reason: REFUND_REASON,
    lines: lines.map((l) => ({
      sku: l.sku,
      location: rma.location,
      quantity: units(l),
      amountCents: value(l.sku).priceCents * units(l),
    })),
  };
  const adjustments = GRADES.filter((g) => lines.some((l) => l[g] > 0)).map((g): PostingDraft => ({
    ...base,
    postingKey: `adjustment:${rma.id}:${g}`,
    kind: 'inventory-adjustment',
    reason: GRADE_RULES[g].reason,
    lines: lines
      .filter((l) => l[g] > 0)
      .map((l) => ({
        sku: l.sku,
        location: rma.location,
        quantity: l[g],
        amountCents: value(l.sku).costCents * l[g],
      })),
  }));
  return lines.length > 0 ? [refund, ...adjustments] : [];
}

/** The grading in words, for the order's transition. */
export function gradeSummary(graded: GradeLine[]): string {
  const total = (g: Grade) => graded.reduce((sum, l) => sum + l[g], 0);
  return `${total('resell')} resell, ${total('damaged')} damaged, ${total('destroy')} destroy`;
}
