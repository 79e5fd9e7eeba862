/** The OMS's own order statuses (not the platform's). */
export const OMS_STATUSES = [
  'NEW',
  'IN_PROGRESS',
  'PARTIALLY_SHIPPED',
  'SHIPPED',
  'DELIVERED',
  'CANCELLED',
  'RETURNED',
] as const;
export type OmsStatus = (typeof OMS_STATUSES)[number];

/** Where an order may go from each status; CANCELLED and RETURNED are final. */
export const OMS_TRANSITIONS: Readonly<Record<OmsStatus, readonly OmsStatus[]>> = {
  NEW: ['IN_PROGRESS', 'PARTIALLY_SHIPPED', 'SHIPPED', 'CANCELLED'],
  IN_PROGRESS: ['PARTIALLY_SHIPPED', 'SHIPPED', 'CANCELLED'],
  PARTIALLY_SHIPPED: ['SHIPPED', 'CANCELLED'],
  SHIPPED: ['DELIVERED', 'RETURNED'],
  DELIVERED: ['RETURNED'],
  CANCELLED: [],
  RETURNED: [],
};

/** The statuses an order may be in to be set to `to` (staying in `to` is allowed: the PATCH is idempotent). */
export function statusesLeadingTo(to: OmsStatus): OmsStatus[] {
  return OMS_STATUSES.filter((from) => from === to || OMS_TRANSITIONS[from].includes(to));
}
