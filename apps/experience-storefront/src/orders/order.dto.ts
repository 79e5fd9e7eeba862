import { ApiProperty } from '@nestjs/swagger';

export const ORDER_STATES = [
  'pending_validation',
  'reserved',
  'allocated',
  'released',
  'partially_shipped',
  'shipped',
  'delivered',
  'cancelled',
  'returned',
  'settled',
] as const;
export type OrderState = (typeof ORDER_STATES)[number];

export const SHIPMENT_STATUSES = [
  'allocated',
  'released',
  'partially_shipped',
  'shipped',
  'cancel_requested',
  'cancelled',
  'short_closed',
] as const;
export type ShipmentStatus = (typeof SHIPMENT_STATUSES)[number];

const STATES_DESCRIPTION =
  'pending_validation, reserved, allocated, released (to the warehouse for picking), partially_shipped, shipped, ' +
  'delivered, cancelled, returned or settled';

export class StorefrontOrderLine {
  @ApiProperty({ example: 'SKU-00001' })
  sku!: string;

  @ApiProperty({ type: 'integer', minimum: 0, example: 2, description: 'Units ordered' })
  quantity!: number;

  @ApiProperty({ type: 'integer', minimum: 0, example: 1, description: 'Units that have left a location' })
  shipped!: number;

  @ApiProperty({ type: 'integer', minimum: 0, example: 0, description: 'Units that will not ship' })
  cancelled!: number;
}

export class StorefrontShipmentLine {
  @ApiProperty({ example: 'SKU-00001' })
  sku!: string;

  @ApiProperty({
    type: 'integer',
    minimum: 0,
    example: 2,
    description: 'Units sent to this location to ship',
  })
  quantity!: number;

  @ApiProperty({ type: 'integer', minimum: 0, example: 1, description: 'Units this location has shipped' })
  shipped!: number;
}

/** The part of an order one location ships. */
export class StorefrontShipment {
  @ApiProperty({ example: 'WH-EAST' })
  location!: string;

  @ApiProperty({
    enum: SHIPMENT_STATUSES,
    enumName: 'ShipmentStatus',
    example: 'shipped',
    description:
      'allocated, released, partially_shipped, shipped, cancel_requested, cancelled or short_closed (the location could not ship it all)',
  })
  status!: ShipmentStatus;

  @ApiProperty({ type: [StorefrontShipmentLine] })
  lines!: StorefrontShipmentLine[];
}

export class StorefrontOrderHistoryEntry {
  @ApiProperty({
    enum: ORDER_STATES,
    enumName: 'OrderState',
    example: 'allocated',
    description: `The state entered: ${STATES_DESCRIPTION}`,
  })
  state!: OrderState;

  @ApiProperty({ format: 'date-time', example: '2026-01-05T10:00:02.000Z' })
  at!: string;
}

/** An order as your channel sees it: placed by confirming a reservation, with the reservation's id. */
export class StorefrontOrder {
  @ApiProperty({ format: 'uuid', example: '0b7d6c1e-5c8a-4a39-9d55-2f7f3f0c1a11' })
  id!: string;

  @ApiProperty({ nullable: true, type: String, example: 'cart-7f3a' })
  reference!: string | null;

  @ApiProperty({
    enum: ORDER_STATES,
    enumName: 'OrderState',
    example: 'allocated',
    description: `The order's state: ${STATES_DESCRIPTION}`,
  })
  state!: OrderState;

  @ApiProperty({ format: 'date-time', example: '2026-01-05T10:00:00.000Z' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time', example: '2026-01-05T12:30:00.000Z' })
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
