/** Units a channel committed to sell (a confirmed reservation), in our codes and eaches. */
export interface ErpCommitment {
  /** Our reference (the reservation id): the ERP keeps at most one commitment per reference. */
  reference: string;
  channel: string;
  lines: { sku: string; location: string; quantity: number }[];
}

export interface OnHandRow {
  sku: string;
  location: string;
  onHand: number;
}

export interface OnHandSnapshot {
  takenAt: string;
  rows: OnHandRow[];
  /** Backend rows whose item or site has no cross-reference yet. */
  unmapped: { item: string; site: string; onHand: number }[];
}

/**
 * What the platform needs from an ERP. One adapter per ERP product; the adapter translates codes and units
 * and classifies failures (PermanentError, WaitError, transient) for the queue worker.
 */
export abstract class ErpPort {
  /** Records a commitment; calling it again with the same reference changes nothing. */
  abstract commit(commitment: ErpCommitment): Promise<{ erpReference: string; duplicate: boolean }>;
  /** The ERP's on-hand figures in eaches, for one location or all. */
  abstract onHandSnapshot(location?: string): Promise<OnHandSnapshot>;
  /** The state of the adapter's circuit toward the ERP. */
  abstract circuit(): string;
}
