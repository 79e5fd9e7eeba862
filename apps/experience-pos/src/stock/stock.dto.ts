import { ApiProperty } from '@nestjs/swagger';

/** Another store of your channel, and what it can sell of the SKU. */
export class PosNearbyStock {
  @ApiProperty({ example: 'STORE-BOS' })
  location!: string;

  @ApiProperty({ example: 'Back Bay store, Boston' })
  name!: string;

  /** Straight-line distance from your store; null when either store has no coordinates (listed last). */
  @ApiProperty({ type: Number, nullable: true, example: 303.2 })
  distanceKm!: number | null;

  @ApiProperty({ type: 'integer', example: 3, minimum: 0 })
  available!: number;
}

export class PosSkuStock {
  @ApiProperty({ example: 'SKU-00001' })
  sku!: string;

  /** What your store can sell or promise for pickup now, the channel's policy applied. */
  @ApiProperty({ type: 'integer', example: 8, minimum: 0 })
  available!: number;

  /** The other stores of your channel, nearest first (at most 10). */
  @ApiProperty({ type: [PosNearbyStock] })
  nearby!: PosNearbyStock[];
}

export class PosStoreStock {
  @ApiProperty({ example: 'STORE-NYC' })
  store!: string;

  /** When the figures were read. */
  @ApiProperty({ format: 'date-time', example: '2026-01-05T10:00:00.000Z' })
  asOf!: string;

  @ApiProperty({ type: [PosSkuStock] })
  items!: PosSkuStock[];
}

export const STOCK_EXAMPLE: PosStoreStock = {
  store: 'STORE-NYC',
  asOf: '2026-01-05T10:00:00.000Z',
  items: [
    {
      sku: 'SKU-00001',
      available: 8,
      nearby: [
        { location: 'STORE-BOS', name: 'Back Bay store, Boston', distanceKm: 303.2, available: 8 },
        { location: 'STORE-CHI', name: 'Wicker Park store, Chicago', distanceKm: 1148.6, available: 4 },
      ],
    },
  ],
};
