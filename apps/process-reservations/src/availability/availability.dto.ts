import { ApiProperty } from '@nestjs/swagger';

export class LocationAvailabilityView {
  @ApiProperty({ example: 'STORE-01' })
  location!: string;

  @ApiProperty({ example: 3 })
  available!: number;
}

export class SkuAvailabilityView {
  @ApiProperty({ example: 'SKU-00001' })
  sku!: string;

  @ApiProperty({ description: 'false when the SKU is not in the catalog' })
  known!: boolean;

  @ApiProperty({ example: 12 })
  available!: number;

  @ApiProperty({ type: [LocationAvailabilityView] })
  locations!: LocationAvailabilityView[];
}

export class ChannelAvailabilityView {
  @ApiProperty({ example: 'web' })
  channel!: string;

  @ApiProperty({ format: 'date-time' })
  asOf!: string;

  @ApiProperty({ type: [SkuAvailabilityView] })
  items!: SkuAvailabilityView[];
}
