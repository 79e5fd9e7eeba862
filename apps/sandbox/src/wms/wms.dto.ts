import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  NotEquals,
  ValidateNested,
} from 'class-validator';
import { CODE_MESSAGE, CODE_PATTERN } from '../infra/codes';
import { PageQuery, PageView } from '../infra/paging.dto';
import { UOMS, type Uom } from '../infra/units';
import { WMS_EVENT_TYPES, type WmsEventType } from './wms-event';

const MAX_QTY = 1_000_000;

/** Where, what, in which unit: the fields every WMS operation has. */
export class WmsStockInput {
  @ApiProperty({ example: 'DC1' })
  @IsString()
  @Matches(CODE_PATTERN, { message: `warehouse ${CODE_MESSAGE}` })
  warehouse!: string;

  /** The WMS's own item code; the WMS has no item master and accepts any well-formed code. */
  @ApiProperty({ example: 'CUP-ESP-W6' })
  @IsString()
  @Matches(CODE_PATTERN, { message: `itemCode ${CODE_MESSAGE}` })
  itemCode!: string;

  /** EA = each, CS = case of 12. */
  @ApiProperty({ enum: UOMS, example: 'CS' })
  @IsIn(UOMS)
  uom!: Uom;
}

export class ReceiptInput extends WmsStockInput {
  @ApiProperty({ example: 2, minimum: 1, maximum: MAX_QTY })
  @IsInt()
  @Min(1)
  @Max(MAX_QTY)
  qty!: number;
}

export class PickInput extends ReceiptInput {
  @ApiPropertyOptional({ example: 'OMS-000042' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  orderRef?: string;
}

export class ShipmentInput extends PickInput {}

/** Units a picker could not find for an order: `qty` is the shortfall, not what was picked. */
export class ShortPickInput extends ReceiptInput {
  /** The outbound order being picked; a short pick always belongs to one. */
  @ApiProperty({ example: '0b8e3f4c-2f1a-4c7e-9d55-6a1e2b3c4d5e' })
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  orderRef!: string;
}

export class AdjustmentInput extends WmsStockInput {
  /** Signed: positive adds stock, negative removes it. */
  @ApiProperty({ example: -3, minimum: -MAX_QTY, maximum: MAX_QTY })
  @IsInt()
  @NotEquals(0, { message: 'qty must not be 0' })
  @Min(-MAX_QTY)
  @Max(MAX_QTY)
  qty!: number;

  @ApiProperty({ example: 'DAMAGED' })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  reasonCode!: string;
}

export class CycleCountInput extends WmsStockInput {
  /** What was counted, in `uom`; inventory becomes this. */
  @ApiProperty({ example: 20, minimum: 0, maximum: MAX_QTY })
  @IsInt()
  @Min(0)
  @Max(MAX_QTY)
  countedQty!: number;
}

export class TransferInput {
  @ApiProperty({ example: 'DC1' })
  @IsString()
  @Matches(CODE_PATTERN, { message: `fromWarehouse ${CODE_MESSAGE}` })
  fromWarehouse!: string;

  @ApiProperty({ example: 'STORE7' })
  @IsString()
  @Matches(CODE_PATTERN, { message: `toWarehouse ${CODE_MESSAGE}` })
  toWarehouse!: string;

  @ApiProperty({ example: 'CUP-ESP-W6' })
  @IsString()
  @Matches(CODE_PATTERN, { message: `itemCode ${CODE_MESSAGE}` })
  itemCode!: string;

  @ApiProperty({ example: 1, minimum: 1, maximum: MAX_QTY })
  @IsInt()
  @Min(1)
  @Max(MAX_QTY)
  qty!: number;

  @ApiProperty({ enum: UOMS, example: 'EA' })
  @IsIn(UOMS)
  uom!: Uom;
}

export class WmsEventCreatedView {
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty({ example: 42 }) seq!: number;
}

export class WmsInventoryQuery extends PageQuery {
  @ApiPropertyOptional({ example: 'DC1' })
  @IsOptional()
  @IsString()
  @Matches(CODE_PATTERN, { message: `warehouse ${CODE_MESSAGE}` })
  warehouse?: string;
}

export class WmsInventoryView {
  @ApiProperty({ example: 'DC1' }) warehouse!: string;
  @ApiProperty({ example: 'CUP-ESP-W6' }) itemCode!: string;
  @ApiProperty({ example: 24 }) qtyEach!: number;
}

export class WmsInventoryPageView extends PageView {
  @ApiProperty({ type: [WmsInventoryView] }) items!: WmsInventoryView[];
}

export class WmsSubscriptionInput {
  /** Where the WMS posts its events. */
  @ApiProperty({ example: 'http://127.0.0.1:3103/v1/webhooks/wms' })
  @IsString()
  @Matches(/^https?:\/\/[^\s]+$/, { message: 'url must be an http(s) URL' })
  @MaxLength(2000)
  url!: string;

  /** HMAC-SHA256 key of X-Wms-Signature; never shown again. */
  @ApiProperty({ example: 'whsec-local-test' })
  @IsString()
  @MinLength(1)
  @MaxLength(512)
  secret!: string;
}

export class WmsSubscriptionView {
  @ApiProperty({ nullable: true, type: String, example: 'http://127.0.0.1:3103/v1/webhooks/wms' })
  url!: string | null;
}

export class RedeliverInput {
  @ApiPropertyOptional({ example: 5, minimum: 1, maximum: 20, default: 1 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(20)
  times?: number;

  /** All at once (true) or one after the other. */
  @ApiPropertyOptional({ example: true, default: true })
  @IsOptional()
  @IsBoolean()
  concurrent?: boolean;
}

export class RedeliverView {
  /** The receiver's HTTP status per send, 0 when it did not answer. */
  @ApiProperty({ type: [Number], example: [200, 200, 200] })
  statuses!: number[];
}

export class WmsEventsQuery {
  @ApiPropertyOptional({ enum: ['true', 'false'] })
  @IsOptional()
  @IsIn(['true', 'false'])
  delivered?: 'true' | 'false';

  @ApiPropertyOptional({ example: 1000, minimum: 1, maximum: 10000, default: 1000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000)
  limit?: number;
}

export class WmsEventSummaryView {
  @ApiProperty({ example: 42 }) seq!: number;
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty({ enum: WMS_EVENT_TYPES, example: 'RECEIPT' }) eventType!: WmsEventType;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) deliveredAt!: string | null;
  /** Delivery attempts so far: the webhook's sends and retries, and every redelivery. */
  @ApiProperty({ example: 1 }) attempts!: number;
  @ApiProperty({ nullable: true, type: String, example: null }) lastError!: string | null;
}

export class WmsInventoryRowInput {
  /** @example "DC-WH-EAST" */
  @IsString()
  @Matches(CODE_PATTERN, { message: `warehouse ${CODE_MESSAGE}` })
  warehouse!: string;

  /** @example "W-SKU-00001" */
  @IsString()
  @Matches(CODE_PATTERN, { message: `itemCode ${CODE_MESSAGE}` })
  itemCode!: string;

  /** The quantity in each (absolute). @example 120 */
  @IsInt()
  @Min(0)
  @Max(1_000_000_000)
  qtyEach!: number;
}

export class SetWmsInventoryInput {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10_000)
  @ValidateNested({ each: true })
  @Type(() => WmsInventoryRowInput)
  rows!: WmsInventoryRowInput[];
}

export class InventorySetView {
  /** Rows set. */
  set!: number;
}
