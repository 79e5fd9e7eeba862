import { ApiProperty } from '@nestjs/swagger';

const STATES_DESCRIPTION =
  'pending_validation, reserved, allocated, released (to the warehouse for picking), partially_shipped, shipped, ' +
  'delivered, cancelled, returned or settled';

export class StorefrontOrderLine {
  @ApiProperty({ example: 'SKU-00001' })
  sku!: string;

  @ApiProperty({ example: 2, description: 'Units ordered' })
  quantity!: number;

  @ApiProperty({ example: 1, description: 'Units that have left a location' })
  shipped!: number;

  @ApiProperty({ example: 0, description: 'Units that will not ship' })
  cancelled!: number;
}

export class StorefrontShipmentLine {
  @ApiProperty({ example: 'SKU-00001' })
  sku!: string;

  @ApiProperty({ example: 2, description: 'Units sent to this location to ship' })
  quantity!: number;

  @ApiProperty({ example: 1, description: 'Units this location has shipped' })
  shipped!: number;
}

/** The part of an order one location ships. */
export class StorefrontShipment {
  @ApiProperty({ example: 'WH-EAST' })
  location!: string;

  @ApiProperty({
    example: 'shipped',
    description:
      'allocated, released, partially_shipped, shipped, cancel_requested, cancelled or short_closed (the location could not ship it all)',
  })
  status!: string;

  @ApiProperty({ type: [StorefrontShipmentLine] })
  lines!: StorefrontShipmentLine[];
}

export class StorefrontOrderHistoryEntry {
  @ApiProperty({ example: 'allocated', description: `The state entered: ${STATES_DESCRIPTION}` })
  state!: string;

  @ApiProperty({ format: 'date-time' })
  at!: string;
}

/** An order as your channel sees it: placed by confirming a reservation, with the reservation's id. */
export class StorefrontOrder {
  @ApiProperty({ format: 'uuid', example: '0b7d6c1e-5c8a-4a39-9d55-2f7f3f0c1a11' })
  id!: string;

  @ApiProperty({ nullable: true, type: String, example: 'cart-7f3a' })
  reference!: string | null;

  @ApiProperty({ example: 'allocated', description: `The order's state: ${STATES_DESCRIPTION}` })
  state!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;

  @ApiProperty({ type: [StorefrontOrderLine] })
  lines!: StorefrontOrderLine[];

  @ApiProperty({ type: [StorefrontShipment], description: 'Per location that ships part of the order' })
  shipments!: StorefrontShipment[];

  @ApiProperty({
    type: [StorefrontOrderHistoryEntry],
    description: 'Every state the order entered, oldest first',
  })
  history!: StorefrontOrderHistoryEntry[];
}
