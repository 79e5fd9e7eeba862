import { assertNever } from './assert-never';

/** Units of measure the ERP and WMS speak: each, or a case. */
export const UOMS = ['EA', 'CS'] as const;
export type Uom = (typeof UOMS)[number];

/** The WMS and the ERP's default item master pack 12 each to a case. */
export const EACH_PER_CASE = 12;

/** A quantity in `uom` as each; `caseQty` is the item's pack size. */
export function toEach(qty: number, uom: Uom, caseQty: number = EACH_PER_CASE): number {
  switch (uom) {
    case 'EA':
      return qty;
    case 'CS':
      return qty * caseQty;
    default:
      return assertNever(uom);
  }
}

/** Whole cases in a quantity of each (what the ERP reports beside the each). */
export function wholeCases(qtyEach: number, caseQty: number = EACH_PER_CASE): number {
  return Math.trunc(qtyEach / caseQty);
}
