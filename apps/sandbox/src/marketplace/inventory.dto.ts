import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsArray,
  IsDefined,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { AmountInput, EbayErrorView } from './ebay.dto';

/** eBay's limit on a quantity: a 32-bit integer. */
export const MAX_QUANTITY = 2_147_483_647;
/** bulkUpdatePriceQuantity takes at most this many requests (inventory items) per call. */
export const BULK_UPDATE_MAX = 25;

/** eBay's ShipToLocationAvailability: the total "ship-to-home" quantity of an inventory item. */
export class ShipToLocationAvailability {
  /** The quantity available to buy through the item's offers; 0 ends the listing's availability. */
  @ApiProperty({ example: 12, minimum: 0, maximum: MAX_QUANTITY })
  @IsInt()
  @Min(0)
  @Max(MAX_QUANTITY)
  quantity!: number;
}

/** eBay's OfferPriceQuantity. The sandbox keeps no offers: a request that carries any is refused (400). */
export class OfferPriceQuantity {
  @ApiProperty({ example: '5000012345' })
  @IsString()
  @Length(1, 64)
  offerId!: string;

  @ApiPropertyOptional({ example: 5, minimum: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_QUANTITY)
  availableQuantity?: number;

  @ApiPropertyOptional({ type: AmountInput })
  @IsOptional()
  @ValidateNested()
  @Type(() => AmountInput)
  price?: AmountInput;
}

/** eBay's PriceQuantity: one inventory item's new total quantity (and, on eBay, its offers' prices). */
export class PriceQuantity {
  /** The seller-defined SKU of the inventory item (at most 50 characters). */
  @ApiProperty({ example: 'SKU-00001', maxLength: 50 })
  @IsString()
  @Length(1, 50)
  sku!: string;

  @ApiProperty({ type: ShipToLocationAvailability })
  @IsDefined()
  @ValidateNested()
  @Type(() => ShipToLocationAvailability)
  shipToLocationAvailability!: ShipToLocationAvailability;

  @ApiPropertyOptional({ type: [OfferPriceQuantity] })
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => OfferPriceQuantity)
  offers?: OfferPriceQuantity[];
}

/** eBay's BulkPriceQuantity: 1 to 25 inventory items, each SKU once. */
export class BulkPriceQuantity {
  @ApiProperty({ type: [PriceQuantity], minItems: 1, maxItems: BULK_UPDATE_MAX })
  requests!: PriceQuantity[];
}

/** eBay's PriceQuantityResponse: the outcome for one inventory item of the call. */
export class PriceQuantityResponse {
  /** 200 when the item's quantity was replaced; 404 an unknown SKU; 400 a request that is not valid. */
  @ApiProperty({ example: 200 }) statusCode!: number;
  @ApiPropertyOptional({ example: 'SKU-00001' }) sku?: string;
  @ApiPropertyOptional({ type: [EbayErrorView] }) errors?: EbayErrorView[];
  @ApiPropertyOptional({ type: [EbayErrorView] }) warnings?: EbayErrorView[];
}

/** eBay's BulkPriceQuantityResponse: one response per request, in the order of the requests. */
export class BulkPriceQuantityResponse {
  @ApiProperty({ type: [PriceQuantityResponse] }) responses!: PriceQuantityResponse[];
}

export class ShipToLocationAvailabilityView {
  @ApiProperty({ example: 12 }) quantity!: number;
}

export class AvailabilityView {
  @ApiProperty({ type: ShipToLocationAvailabilityView })
  shipToLocationAvailability!: ShipToLocationAvailabilityView;
}

export class ProductView {
  @ApiProperty({ example: 'Merino crew sock, navy, S' }) title!: string;
}

/** eBay's InventoryItemWithSkuLocaleGroupid, with the fields the sandbox keeps. */
export class InventoryItemView {
  @ApiProperty({ example: 'SKU-00001' }) sku!: string;
  @ApiProperty({ example: 'en_US' }) locale!: string;
  @ApiProperty({ example: 'NEW' }) condition!: string;
  @ApiPropertyOptional({ type: ProductView }) product?: ProductView;
  @ApiProperty({ type: AvailabilityView }) availability!: AvailabilityView;
}

/** eBay's InventoryItems: a page of inventory items by SKU. */
export class InventoryItemsView {
  /** This page: `…/inventory_item?limit=25&offset=0`. */
  @ApiProperty() href!: string;
  /** The next page; only when there is one. */
  @ApiPropertyOptional() next?: string;
  /** The page before; only when there is one. */
  @ApiPropertyOptional() prev?: string;
  @ApiProperty({ example: 25 }) limit!: number;
  /** The number of pages of this limit. */
  @ApiProperty({ example: 20 }) size!: number;
  /** The number of inventory items of the seller. */
  @ApiProperty({ example: 500 }) total!: number;
  @ApiProperty({ type: [InventoryItemView] }) inventoryItems!: InventoryItemView[];
}
