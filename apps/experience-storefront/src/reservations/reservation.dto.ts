import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CATALOG_CODE_PATTERN } from '@stockbridge/app-platform';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

/** SKU and location codes: the platform's one rule for catalog codes. */
export const CODE_PATTERN = CATALOG_CODE_PATTERN;

export const RESERVATION_STATUSES = ['active', 'confirmed', 'released', 'expired'] as const;
export type ReservationStatus = (typeof RESERVATION_STATUSES)[number];

/** One line of a storefront reservation (contract v1). */
export class StorefrontReservationLine {
  @ApiProperty({ example: 'SKU-00001', pattern: CODE_PATTERN.source })
  @IsString()
  @Matches(CODE_PATTERN, { message: 'sku must be 1–64 letters, digits, ".", "_" or "-"' })
  sku!: string;

  @ApiProperty({ type: 'integer', example: 1, minimum: 1, maximum: 100000 })
  @IsInt({ message: 'quantity must be a whole number' })
  @Min(1)
  @Max(100_000)
  quantity!: number;

  /** Pickup location; omit it and the platform sources from the channel's locations. */
  @ApiPropertyOptional({ example: 'STORE-NYC', pattern: CODE_PATTERN.source })
  @IsOptional()
  @IsString()
  @Matches(CODE_PATTERN, { message: 'location must be 1–64 letters, digits, ".", "_" or "-"' })
  location?: string;
}

/** Where the order ships to, in WGS 84 degrees. */
export class StorefrontShipTo {
  @ApiProperty({ example: 40.7128, minimum: -90, maximum: 90 })
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'latitude must be a number' })
  @Min(-90, { message: 'latitude must be between -90 and 90' })
  @Max(90, { message: 'latitude must be between -90 and 90' })
  latitude!: number;

  @ApiProperty({ example: -74.006, minimum: -180, maximum: 180 })
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'longitude must be a number' })
  @Min(-180, { message: 'longitude must be between -180 and 180' })
  @Max(180, { message: 'longitude must be between -180 and 180' })
  longitude!: number;
}

export class CreateStorefrontReservation {
  @ApiProperty({ type: [StorefrontReservationLine], minItems: 1, maxItems: 100 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => StorefrontReservationLine)
  lines!: StorefrontReservationLine[];

  /** Seconds the hold lasts unless confirmed (default 900). */
  @ApiPropertyOptional({ type: 'integer', example: 900, minimum: 1, maximum: 604800 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(7 * 24 * 3600)
  ttlSeconds?: number;

  /** Your own reference, e.g. the cart id. */
  @ApiPropertyOptional({ example: 'cart-7f3a', maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  reference?: string;

  /** Where the order ships to, if known at checkout: order allocation then prefers the nearest location. */
  @ApiPropertyOptional({
    type: StorefrontShipTo,
    description:
      'Where the order ships to, if known at checkout; order allocation then prefers the nearest location. Optional (added in 1.1).',
  })
  @IsOptional()
  @IsObject({ message: 'shipTo must be an object with latitude and longitude' })
  @ValidateNested()
  @Type(() => StorefrontShipTo)
  shipTo?: StorefrontShipTo;
}

/** Extends an active reservation (since 1.2). */
export class ExtendStorefrontReservation {
  /**
   * Seconds from now the hold should last at least: expiresAt becomes the later of its current value and
   * now + ttlSeconds, never past the channel's maximum lifetime from the reservation's creation.
   */
  @ApiProperty({ type: 'integer', example: 900, minimum: 1, maximum: 604800 })
  @IsInt({ message: 'ttlSeconds must be a whole number' })
  @Min(1)
  @Max(7 * 24 * 3600)
  ttlSeconds!: number;
}

/** The lines an active reservation holds from now on (since 1.2). */
export class ChangeStorefrontReservationLines {
  /** Replace every line of the reservation; same rules as on creation. */
  @ApiProperty({ type: [StorefrontReservationLine], minItems: 1, maxItems: 100 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => StorefrontReservationLine)
  lines!: StorefrontReservationLine[];
}

export class StorefrontReservationLineView {
  @ApiProperty({ example: 'SKU-00001' })
  sku!: string;

  @ApiProperty({ type: 'integer', example: 1, minimum: 1 })
  quantity!: number;

  @ApiProperty({ example: 'WH-EAST' })
  location!: string;
}

export class StorefrontReservation {
  @ApiProperty({ format: 'uuid', example: '0b7d6c1e-5c8a-4a39-9d55-2f7f3f0c1a11' })
  id!: string;

  @ApiProperty({
    enum: RESERVATION_STATUSES,
    enumName: 'ReservationStatus',
    example: 'active',
    description: 'active (holding stock), confirmed (the order is placed), released, or expired',
  })
  status!: ReservationStatus;

  @ApiProperty({
    format: 'date-time',
    example: '2026-01-05T10:15:00.000Z',
    description: 'When an active reservation expires unless confirmed',
  })
  expiresAt!: string;

  @ApiProperty({ nullable: true, type: String, example: 'cart-7f3a' })
  reference!: string | null;

  @ApiProperty({ type: [StorefrontReservationLineView] })
  lines!: StorefrontReservationLineView[];

  @ApiProperty({
    type: StorefrontShipTo,
    nullable: true,
    description: 'Where the order ships to, as sent when the reservation was made; null when not given',
  })
  shipTo!: StorefrontShipTo | null;
}

/** The example answer of the reservation operations. */
export const RESERVATION_EXAMPLE: StorefrontReservation = {
  id: '0b7d6c1e-5c8a-4a39-9d55-2f7f3f0c1a11',
  status: 'active',
  expiresAt: '2026-01-05T10:15:00.000Z',
  reference: 'cart-7f3a',
  lines: [
    { sku: 'SKU-00001', quantity: 2, location: 'WH-EAST' },
    { sku: 'SKU-00002', quantity: 1, location: 'STORE-NYC' },
  ],
  shipTo: { latitude: 40.7128, longitude: -74.006 },
};
