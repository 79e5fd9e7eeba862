import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { CODE_MESSAGE, CODE_PATTERN } from '../infra/codes';
import { PageQuery, PageView } from '../infra/paging.dto';
import { OMS_STATUSES, type OmsStatus } from './order-status';

export class OmsOrderLineInput {
  @ApiProperty({ example: 'SKU-00001' })
  @IsString()
  @Matches(CODE_PATTERN, { message: `sku ${CODE_MESSAGE}` })
  sku!: string;

  @ApiProperty({ example: 2, minimum: 1 })
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  quantity!: number;
}

export class OmsShipToInput {
  @ApiPropertyOptional({ example: 'Ada Lovelace' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ example: '10115' })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  postalCode?: string;

  @ApiPropertyOptional({ example: 'DE' })
  @IsOptional()
  @IsString()
  @MaxLength(2)
  country?: string;

  /** Latitude of the delivery point (WGS 84); given together with `lng`. */
  @ApiPropertyOptional({ example: 52.52, minimum: -90, maximum: 90 })
  @ValidateIf((s: OmsShipToInput) => s.lat !== undefined || s.lng !== undefined)
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'lat must be a number (given with lng)' })
  @Min(-90)
  @Max(90)
  lat?: number;

  /** Longitude of the delivery point (WGS 84); given together with `lat`. */
  @ApiPropertyOptional({ example: 13.405, minimum: -180, maximum: 180 })
  @ValidateIf((s: OmsShipToInput) => s.lat !== undefined || s.lng !== undefined)
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'lng must be a number (given with lat)' })
  @Min(-180)
  @Max(180)
  lng?: number;
}

export class CreateOmsOrderInput {
  /** The caller's order reference; a repeat returns the existing order (200). */
  @ApiProperty({ example: 'web-000123', minLength: 1, maxLength: 128 })
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  orderRef!: string;

  @ApiProperty({ example: 'web' })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  channel!: string;

  @ApiProperty({ type: [OmsOrderLineInput], minItems: 1, maxItems: 100 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => OmsOrderLineInput)
  lines!: OmsOrderLineInput[];

  @ApiPropertyOptional({ type: OmsShipToInput })
  @IsOptional()
  @ValidateNested()
  @Type(() => OmsShipToInput)
  shipTo?: OmsShipToInput;
}

export class UpdateOmsOrderInput {
  @ApiProperty({ enum: OMS_STATUSES, example: 'SHIPPED' })
  @IsIn(OMS_STATUSES)
  status!: OmsStatus;
}

export class OmsOrderLineView {
  @ApiProperty({ example: 'SKU-00001' }) sku!: string;
  @ApiProperty({ example: 2 }) quantity!: number;
}

export class OmsShipToView {
  @ApiPropertyOptional() name?: string;
  @ApiPropertyOptional() postalCode?: string;
  @ApiPropertyOptional() country?: string;
  @ApiPropertyOptional({ example: 52.52 }) lat?: number;
  @ApiPropertyOptional({ example: 13.405 }) lng?: number;
}

export class OmsOrderView {
  @ApiProperty({ example: 'OMS-000001' }) orderId!: string;
  @ApiProperty({ example: 'web-000123' }) orderRef!: string;
  @ApiProperty({ example: 'web' }) channel!: string;
  @ApiProperty({ enum: OMS_STATUSES, example: 'NEW' }) status!: OmsStatus;
  @ApiProperty({ type: [OmsOrderLineView] }) lines!: OmsOrderLineView[];
  @ApiProperty({ type: OmsShipToView, nullable: true }) shipTo!: OmsShipToView | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  /** When the order last changed status (its creation, until then). */
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class OmsOrderPageView extends PageView {
  @ApiProperty({ type: [OmsOrderView] }) items!: OmsOrderView[];
}

export class OmsOrderQuery extends PageQuery {
  @ApiPropertyOptional({ example: 'web-000123' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  orderRef?: string;

  @ApiPropertyOptional({ enum: OMS_STATUSES })
  @IsOptional()
  @IsIn(OMS_STATUSES)
  status?: OmsStatus;

  /** Only orders whose status changed (or that were created) at or after this time; sorts by change time. */
  @ApiPropertyOptional({ format: 'date-time', example: '2025-01-31T12:00:00.000Z' })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  updatedSince?: string;
}
