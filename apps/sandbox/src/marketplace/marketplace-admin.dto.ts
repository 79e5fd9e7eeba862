import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { PageQuery, PageView } from '../infra/paging.dto';
import { AmountInput } from './ebay.dto';
import { MAX_QUANTITY } from './inventory.dto';

/** eBay's SKUs: at most 50 characters; the sandbox keeps them to letters, digits, ".", "_" and "-". */
export const SKU_PATTERN = /^[A-Za-z0-9._-]{1,50}$/;
const SKU_MESSAGE = 'must be 1–50 letters, digits, ".", "_" or "-"';

/** An inventory item to create or replace: a listing with a quantity (and the price its orders take). */
export class MarketplaceItemInput {
  @ApiProperty({ example: 'SKU-00001', maxLength: 50 })
  @IsString()
  @Matches(SKU_PATTERN, { message: `sku ${SKU_MESSAGE}` })
  sku!: string;

  @ApiProperty({ example: 50, minimum: 0 })
  @IsInt()
  @Min(0)
  @Max(MAX_QUANTITY)
  quantity!: number;

  /** The product's title; left out, an existing item keeps its own (a new one has none). */
  @ApiPropertyOptional({ example: 'Merino crew sock, navy, S' })
  @IsOptional()
  @IsString()
  @MaxLength(80)
  title?: string;

  /** The unit price orders of this SKU are charged; left out, 10.00 USD. */
  @ApiPropertyOptional({ type: AmountInput })
  @IsOptional()
  @ValidateNested()
  @Type(() => AmountInput)
  price?: AmountInput;
}

export class UpsertMarketplaceItemsInput {
  @ApiProperty({ type: [MarketplaceItemInput], minItems: 1, maxItems: 10000 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10_000)
  @ValidateNested({ each: true })
  @Type(() => MarketplaceItemInput)
  inventoryItems!: MarketplaceItemInput[];
}

export class MarketplaceUpsertedView {
  @ApiProperty({ example: 500 }) upserted!: number;
}

export class MarketplaceLineInput {
  @ApiProperty({ example: 'SKU-00001' })
  @IsString()
  @Matches(SKU_PATTERN, { message: `sku ${SKU_MESSAGE}` })
  sku!: string;

  @ApiProperty({ example: 1, minimum: 1, maximum: 10000 })
  @IsInt()
  @Min(1)
  @Max(10_000)
  quantity!: number;
}

export class MarketplaceShipToInput {
  @ApiProperty({ example: 'Jane Buyer' })
  @IsString()
  @Length(1, 100)
  fullName!: string;

  @ApiProperty({ example: '1 Main St' })
  @IsString()
  @Length(1, 200)
  addressLine1!: string;

  @ApiProperty({ example: 'San Jose' })
  @IsString()
  @Length(1, 100)
  city!: string;

  @ApiPropertyOptional({ example: 'CA' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  stateOrProvince?: string;

  @ApiProperty({ example: '95125' })
  @IsString()
  @Length(1, 20)
  postalCode!: string;

  @ApiProperty({ example: 'US' })
  @Matches(/^[A-Z]{2}$/, { message: 'countryCode must be an ISO 3166-1 alpha-2 code' })
  countryCode!: string;
}

/** One buyer's purchase: 1 to 50 lines of listed SKUs. */
export class MarketplaceOrderInput {
  @ApiProperty({ type: [MarketplaceLineInput], minItems: 1, maxItems: 50 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => MarketplaceLineInput)
  lineItems!: MarketplaceLineInput[];

  /** The buyer's eBay user id; left out, `buyer_<n>`. */
  @ApiPropertyOptional({ example: 'buyer_1' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  buyerUsername?: string;

  /** Left out, a fixed address in San Jose, US. */
  @ApiPropertyOptional({ type: MarketplaceShipToInput })
  @IsOptional()
  @ValidateNested()
  @Type(() => MarketplaceShipToInput)
  shipTo?: MarketplaceShipToInput;

  /**
   * When the buyer bought (ISO 8601, at most two years ago, not in the future); left out, now. Also the
   * order's first lastModifiedDate, so a test can lay out orders in time without waiting.
   */
  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsISO8601({ strict: true })
  creationDate?: string;
}

export class CreateMarketplaceOrdersInput {
  @ApiProperty({ type: [MarketplaceOrderInput], minItems: 1, maxItems: 100 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => MarketplaceOrderInput)
  orders!: MarketplaceOrderInput[];
}

export class BuyerCancelRequestInput {
  /** The buyer's reason (eBay's CancelReasonEnum, buyer values); left out, ORDER_MISTAKE. */
  @ApiPropertyOptional({ enum: ['ORDER_MISTAKE', 'FOUND_CHEAPER_PRICE'] })
  @IsOptional()
  @IsIn(['ORDER_MISTAKE', 'FOUND_CHEAPER_PRICE'], {
    message: 'reason must be ORDER_MISTAKE or FOUND_CHEAPER_PRICE',
  })
  reason?: string;
}

export class QuantityUpdateQuery extends PageQuery {
  /** Only the updates of this SKU. */
  @ApiPropertyOptional({ example: 'SKU-00001' })
  @IsOptional()
  @Matches(SKU_PATTERN, { message: `sku ${SKU_MESSAGE}` })
  sku?: string;
}

/** One quantity applied by a bulk_update_price_quantity call. */
export class QuantityUpdateView {
  /** The call that applied it: updates of one call share it. */
  @ApiProperty({ example: 12 }) callId!: number;
  @ApiProperty({ example: 'SKU-00001' }) sku!: string;
  @ApiProperty({ example: 7 }) quantity!: number;
  @ApiProperty({ format: 'date-time' }) at!: string;
}

export class QuantityUpdatePageView extends PageView {
  @ApiProperty({ type: [QuantityUpdateView] }) items!: QuantityUpdateView[];
}
