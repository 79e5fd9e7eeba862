/** One backend's on-hand figures, in our SKU and location codes and in eaches. */
export interface OnHandSnapshot {
  /** When the snapshot was taken (ISO 8601). */
  takenAt: string;
  rows: { sku: string; location: string; onHand: number }[];
  /** Backend rows whose item or site has no cross-reference yet. */
  unmapped: { item: string; site: string; onHand: number }[];
}

/** A backend that can produce an on-hand snapshot (the ERP's and the WMS's ports extend it). */
export abstract class OnHandSource {
  /** The backend's name in messages ("ERP", "WMS"). */
  abstract readonly backendName: string;
  /** The backend's on-hand figures in eaches, for one location or all. */
  abstract onHandSnapshot(location?: string): Promise<OnHandSnapshot>;
}
