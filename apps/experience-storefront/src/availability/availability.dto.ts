import { ApiProperty } from '@nestjs/swagger';

export class StorefrontLocationAvailability {
  @ApiProperty({ example: 'STORE-NYC' })
  location!: string;

  @ApiProperty({ example: 4 })
  available!: number;
}

export class StorefrontSkuAvailability {
  @ApiProperty({ example: 'SKU-00001' })
  sku!: string;

  @ApiProperty({ description: 'false for a SKU the platform does not know; its available is 0' })
  known!: boolean;

  @ApiProperty({ example: 42 })
  available!: number;

  @ApiProperty({ type: [StorefrontLocationAvailability], description: 'Per location, for pickup' })
  locations!: StorefrontLocationAvailability[];
}

export class StorefrontAvailability {
  @ApiProperty({ example: 'web' })
  channel!: string;

  @ApiProperty({ format: 'date-time', description: 'When the oldest figure in this answer was computed' })
  asOf!: string;

  @ApiProperty({ type: [StorefrontSkuAvailability] })
  items!: StorefrontSkuAvailability[];
}
