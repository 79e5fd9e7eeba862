import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { RESERVATION_STATUSES, type ReservationStatus } from '@stockbridge/canonical';
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

export const CODE_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

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

export class CreateReservationInput {
  @ApiProperty({ type: [ReservationLineInput], minItems: 1, maxItems: 100 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => ReservationLineInput)
  lines!: ReservationLineInput[];

  /** Seconds until an unconfirmed reservation expires. */
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
}

export class ReservationLineView {
  @ApiProperty({ example: 'SKU-00001' })
  sku!: string;

  @ApiProperty({ example: 2 })
  quantity!: number;

  @ApiProperty({ example: 'WH-EAST' })
  location!: string;
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
}
