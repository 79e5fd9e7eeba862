export class OnHandRowView {
  /** @example "SKU-00001" */
  sku!: string;
  /** @example "WH-EAST" */
  location!: string;
  /** Eaches on hand according to the ERP. @example 120 */
  onHand!: number;
}

export class UnmappedOnHandView {
  /** The ERP's item number. */
  item!: string;
  /** The ERP's site code. */
  site!: string;
  onHand!: number;
}

export class OnHandSnapshotView {
  /** When the snapshot was taken (ISO 8601). */
  takenAt!: string;
  rows!: OnHandRowView[];
  /** ERP rows whose item or site has no cross-reference yet. */
  unmapped!: UnmappedOnHandView[];
}
