import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { CODE_MESSAGE, CODE_PATTERN, ORDER_REF_MESSAGE, ORDER_REF_PATTERN } from '../infra/codes';
import { PageQuery, PageView } from '../infra/paging.dto';
import { UOMS, type Uom } from '../infra/units';

export const OUTBOUND_STATUSES = ['RELEASED', 'PART_SHIPPED', 'SHIPPED', 'CANCELLED'] as const;
export type OutboundStatus = (typeof OUTBOUND_STATUSES)[number];

export class OutboundLineInput {
  @ApiProperty({ example: 'CUP-ESP-W6' })
  @IsString()
  @Matches(CODE_PATTERN, { message: `itemCode ${CODE_MESSAGE}` })
  itemCode!: string;

  @ApiProperty({ example: 2, minimum: 1, maximum: 1000000 })
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  qty!: number;

  /** EA = each, CS = case of 12. */
  @ApiProperty({ enum: UOMS, example: 'EA' })
  @IsIn(UOMS)
  uom!: Uom;
}

export class ReleaseOutboundOrderInput {
  /** The caller's order reference: the WMS keeps one outbound order per reference. */
  @ApiProperty({ example: '0b8e3f4c-2f1a-4c7e-9d55-6a1e2b3c4d5e' })
  @IsString()
  @Matches(ORDER_REF_PATTERN, { message: `orderRef ${ORDER_REF_MESSAGE}` })
  orderRef!: string;

  /** Where it is picked and shipped from. */
  @ApiProperty({ example: 'DC1' })
  @IsString()
  @Matches(CODE_PATTERN, { message: `warehouse ${CODE_MESSAGE}` })
  warehouse!: string;

  @ApiProperty({ type: [OutboundLineInput], minItems: 1, maxItems: 100 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => OutboundLineInput)
  lines!: OutboundLineInput[];
}

/** What the WMS answers to a release or a cancellation. */
export class OutboundOrderStatusView {
  @ApiProperty({ example: '0b8e3f4c-2f1a-4c7e-9d55-6a1e2b3c4d5e' }) orderRef!: string;
  @ApiProperty({ enum: OUTBOUND_STATUSES, example: 'RELEASED' }) status!: OutboundStatus;
}

export class OutboundLineView {
  @ApiProperty({ example: 1 }) lineNo!: number;
  @ApiProperty({ example: 'CUP-ESP-W6' }) itemCode!: string;
  @ApiProperty({ example: 2 }) qty!: number;
  @ApiProperty({ enum: UOMS, example: 'CS' }) uom!: Uom;
  /** `qty` in each. */
  @ApiProperty({ example: 24 }) qtyEach!: number;
  /** Each shipped under the order's reference so far (more than ordered when over-shipped). */
  @ApiProperty({ example: 12 }) shippedEach!: number;
  /** Each the pickers reported missing (SHORT_PICK) for this line. */
  @ApiProperty({ example: 0 }) shortEach!: number;
}

export class OutboundOrderView {
  @ApiProperty({ example: '0b8e3f4c-2f1a-4c7e-9d55-6a1e2b3c4d5e' }) orderRef!: string;
  @ApiProperty({ example: 'DC1' }) warehouse!: string;
  /** RELEASED → PART_SHIPPED → SHIPPED as shipments arrive; CANCELLED while nothing has shipped. */
  @ApiProperty({ enum: OUTBOUND_STATUSES, example: 'RELEASED' }) status!: OutboundStatus;
  @ApiProperty({ type: [OutboundLineView] }) lines!: OutboundLineView[];
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class OutboundOrderPageView extends PageView {
  @ApiProperty({ type: [OutboundOrderView] }) items!: OutboundOrderView[];
}

export class OutboundOrderQuery extends PageQuery {
  @ApiPropertyOptional({ enum: OUTBOUND_STATUSES })
  @IsOptional()
  @IsIn(OUTBOUND_STATUSES)
  status?: OutboundStatus;

  @ApiPropertyOptional({ example: 'DC1' })
  @IsOptional()
  @IsString()
  @Matches(CODE_PATTERN, { message: `warehouse ${CODE_MESSAGE}` })
  warehouse?: string;
}
