import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { CODE_PATTERN } from '../pos-openapi';
import { DATE_TIME_PATTERN } from '../transactions/transaction.dto';

export const PICKUP_STATUSES = ['reserved', 'collected', 'cancelled', 'lapsed'] as const;
export type PickupStatus = (typeof PICKUP_STATUSES)[number];

export class PosPickupLine {
  @ApiProperty({ example: 'SKU-00001', pattern: CODE_PATTERN.source })
  @IsString()
  @Matches(CODE_PATTERN, { message: 'sku must be 1–64 letters, digits, ".", "_" or "-"' })
  sku!: string;

  @ApiProperty({ type: 'integer', example: 1, minimum: 1, maximum: 100000 })
  @IsInt({ message: 'quantity must be a whole number' })
  @Min(1)
  @Max(100_000)
  quantity!: number;
}

export class CreatePosPickup {
  /** What the customer will collect at your store: every line is held there, or none. */
  @ApiProperty({ type: [PosPickupLine], minItems: 1, maxItems: 100 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => PosPickupLine)
  lines!: PosPickupLine[];

  /**
   * The pickup deadline: the units stay held until then, and return to sale by themselves when nobody collected
   * them. In the future, and at most the channel's longest hold away (7 days at most).
   */
  @ApiProperty({ format: 'date-time', example: '2026-01-07T19:00:00.000-05:00' })
  @IsString()
  @Matches(DATE_TIME_PATTERN, { message: 'pickupBy must be an ISO 8601 date-time with a zone' })
  pickupBy!: string;

  /** Your own reference, e.g. the order or the customer's pickup code. */
  @ApiPropertyOptional({ example: 'web-order-55123', maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  reference?: string;
}

export class PosPickupLineView {
  @ApiProperty({ example: 'SKU-00001' })
  sku!: string;

  @ApiProperty({ type: 'integer', example: 1, minimum: 1 })
  quantity!: number;
}

export class PosPickup {
  @ApiProperty({ format: 'uuid', example: '0b7d6c1e-5c8a-4a39-9d55-2f7f3f0c1a11' })
  id!: string;

  @ApiProperty({ example: 'STORE-NYC' })
  store!: string;

  @ApiProperty({
    enum: PICKUP_STATUSES,
    enumName: 'PickupStatus',
    example: 'reserved',
    description:
      'reserved (held at the store until pickupBy), collected (the units left with the customer), cancelled ' +
      '(released: back on sale), lapsed (not collected by pickupBy: back on sale)',
  })
  status!: PickupStatus;

  /** Until when the units are held. */
  @ApiProperty({ format: 'date-time', example: '2026-01-08T00:00:00.000Z' })
  pickupBy!: string;

  @ApiProperty({ type: String, nullable: true, example: 'web-order-55123' })
  reference!: string | null;

  @ApiProperty({ type: [PosPickupLineView] })
  lines!: PosPickupLineView[];
}

export const PICKUP_EXAMPLE: PosPickup = {
  id: '0b7d6c1e-5c8a-4a39-9d55-2f7f3f0c1a11',
  store: 'STORE-NYC',
  status: 'reserved',
  pickupBy: '2026-01-08T00:00:00.000Z',
  reference: 'web-order-55123',
  lines: [{ sku: 'SKU-00001', quantity: 1 }],
};
