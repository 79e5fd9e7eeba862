import { ApiProperty } from '@nestjs/swagger';

export class StorefrontLocationAvailability {
  @ApiProperty({ example: 'STORE-NYC' })
  location!: string;

  @ApiProperty({ type: 'integer', minimum: 0, example: 4 })
  available!: number;
}

export class StorefrontSkuAvailability {
  @ApiProperty({ example: 'SKU-00001' })
  sku!: string;

  @ApiProperty({
    example: true,
    description: 'false for a SKU the platform does not know; its available is 0',
  })
  known!: boolean;

  @ApiProperty({
    type: 'integer',
    minimum: 0,
    example: 42,
    description: 'Units your channel can sell now, after its policy (buffer, holdback, cap, staleness)',
  })
  available!: number;

  @ApiProperty({ type: [StorefrontLocationAvailability], description: 'Per location, for pickup' })
  locations!: StorefrontLocationAvailability[];
}

export class StorefrontAvailability {
  @ApiProperty({ example: 'web' })
  channel!: string;

  @ApiProperty({
    format: 'date-time',
    example: '2026-01-05T10:00:00.000Z',
    description: 'When the oldest figure in this answer was computed',
  })
  asOf!: string;

  @ApiProperty({ type: [StorefrontSkuAvailability] })
  items!: StorefrontSkuAvailability[];
}
