export class OnHandRowView {
  /** @example "SKU-00001" */
  sku!: string;
  /** @example "WH-EAST" */
  location!: string;
  /** Eaches on hand according to the backend. @example 120 */
  onHand!: number;
}

export class UnmappedOnHandView {
  /** The backend's item code. */
  item!: string;
  /** The backend's site or warehouse code. */
  site!: string;
  onHand!: number;
}

export class OnHandSnapshotView {
  /** When the snapshot was taken (ISO 8601). */
  takenAt!: string;
  rows!: OnHandRowView[];
  /** Backend rows whose item or site has no cross-reference yet. */
  unmapped!: UnmappedOnHandView[];
}
