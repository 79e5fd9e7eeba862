import { ApiProperty } from '@nestjs/swagger';

export class NearbyStoreStockView {
  @ApiProperty({ example: 'STORE-BOS' })
  location!: string;

  @ApiProperty({ example: 'Back Bay store, Boston' })
  name!: string;

  /** Great-circle distance from the store, in km (one decimal); null when either has no coordinates. */
  @ApiProperty({ type: Number, nullable: true, example: 306.4 })
  distanceKm!: number | null;

  /** What the channel may sell of the SKU at that store. */
  @ApiProperty({ type: 'integer', example: 4 })
  available!: number;
}

export class StoreStockItemView {
  @ApiProperty({ example: 'SKU-00001' })
  sku!: string;

  /** What the channel may sell of the SKU at this store (its policy applied); 0 for a SKU the catalog lacks. */
  @ApiProperty({ type: 'integer', example: 10 })
  available!: number;

  /** The channel's other stores, nearest first (those without coordinates last), at most 10. */
  @ApiProperty({ type: [NearbyStoreStockView] })
  nearby!: NearbyStoreStockView[];
}

export class StoreStockView {
  @ApiProperty({ example: 'STORE-NYC' })
  store!: string;

  @ApiProperty({ format: 'date-time' })
  asOf!: string;

  /** One item per SKU asked for, in the order asked (a repeated SKU once). */
  @ApiProperty({ type: [StoreStockItemView] })
  items!: StoreStockItemView[];
}
