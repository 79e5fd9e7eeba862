export class OnHandRowView {
  /** @example "SKU-00001" */
  sku!: string;
  /** @example "WH-EAST" */
  location!: string;
  /** Eaches on hand according to the WMS. @example 120 */
  onHand!: number;
}

export class UnmappedOnHandView {
  /** The WMS's item number. */
  item!: string;
  /** The WMS's site code. */
  site!: string;
  onHand!: number;
}

export class OnHandSnapshotView {
  /** When the snapshot was taken (ISO 8601). */
  takenAt!: string;
  rows!: OnHandRowView[];
  /** WMS rows whose item or site has no cross-reference yet. */
  unmapped!: UnmappedOnHandView[];
}
