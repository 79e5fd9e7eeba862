import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CATALOG_CODE_PATTERN } from '@stockbridge/app-platform';
import { RESERVATION_STATUSES, type ReservationStatus } from '@stockbridge/canonical';
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

export class ReservationLineInput {
  /** Canonical SKU. */
  @ApiProperty({ example: 'SKU-00001' })
  @IsString()
  @Matches(CODE_PATTERN, { message: 'sku must be 1–64 letters, digits, ".", "_" or "-"' })
  sku!: string;

  /** Units to hold. */
  @ApiProperty({ example: 2, minimum: 1, maximum: 100000 })
  @IsInt()
  @Min(1)
  @Max(100_000)
  quantity!: number;

  /** Location to hold at; omitted, the platform sources from the channel's pool. */
  @ApiPropertyOptional({ example: 'WH-EAST' })
  @IsOptional()
  @IsString()
  @Matches(CODE_PATTERN, { message: 'location must be 1–64 letters, digits, ".", "_" or "-"' })
  location?: string;
}

/** Where the order ships to (WGS 84 degrees). */
export class ShipToInput {
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

export class CreateReservationInput {
  @ApiProperty({ type: [ReservationLineInput], minItems: 1, maxItems: 100 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => ReservationLineInput)
  lines!: ReservationLineInput[];

  /**
   * Seconds until an unconfirmed reservation expires: at most the channel's maxTtlSeconds (422
   * `ttl-exceeds-maximum` beyond); omitted, min(DEFAULT_TTL_SECONDS, maxTtlSeconds).
   */
  @ApiPropertyOptional({ example: 900, minimum: 1, maximum: 604800 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(7 * 24 * 3600)
  ttlSeconds?: number;

  /** The caller's own reference, e.g. a cart or checkout id. */
  @ApiPropertyOptional({ example: 'cart-7f3a' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  reference?: string;

  /** Where the order ships to; allocation prefers the nearest location. Optional. */
  @ApiPropertyOptional({ type: ShipToInput })
  @IsOptional()
  @IsObject({ message: 'shipTo must be an object with latitude and longitude' })
  @ValidateNested()
  @Type(() => ShipToInput)
  shipTo?: ShipToInput;
}

export class ReservationLineView {
  @ApiProperty({ example: 'SKU-00001' })
  sku!: string;

  @ApiProperty({ example: 2 })
  quantity!: number;

  @ApiProperty({ example: 'WH-EAST' })
  location!: string;
}

export class ShipToView {
  @ApiProperty({ example: 40.7128 })
  latitude!: number;

  @ApiProperty({ example: -74.006 })
  longitude!: number;
}

export class ReservationView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'web' })
  channel!: string;

  @ApiProperty({ enum: RESERVATION_STATUSES, example: 'active' })
  status!: ReservationStatus;

  @ApiProperty({ nullable: true, type: String, example: 'cart-7f3a' })
  reference!: string | null;

  @ApiProperty({ format: 'date-time' })
  expiresAt!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ type: [ReservationLineView] })
  lines!: ReservationLineView[];

  @ApiProperty({
    type: ShipToView,
    nullable: true,
    description: 'Where the order ships to; null when not given',
  })
  shipTo!: ShipToView | null;
}

export class ExtendReservationInput {
  /**
   * Seconds from now the reservation should last at least: expiresAt becomes max(expiresAt, now + ttlSeconds),
   * never past createdAt + the channel's maxTtlSeconds.
   */
  @ApiProperty({ type: 'integer', example: 900, minimum: 1, maximum: 604800 })
  @IsInt()
  @Min(1)
  @Max(7 * 24 * 3600)
  ttlSeconds!: number;
}

export class ChangeReservationLinesInput {
  /** The reservation's lines from now on, replacing all of them (same rules as on creation). */
  @ApiProperty({ type: [ReservationLineInput], minItems: 1, maxItems: 100 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => ReservationLineInput)
  lines!: ReservationLineInput[];
}
