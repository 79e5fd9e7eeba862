import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AmountView, EbayErrorView } from './ebay.dto';
import { FULFILLMENT_STATUSES } from './order-filter';

/** eBay's Address, as the sandbox keeps it. */
export class AddressView {
  @ApiProperty({ example: '1 Main St' }) addressLine1!: string;
  @ApiPropertyOptional() addressLine2?: string;
  @ApiProperty({ example: 'San Jose' }) city!: string;
  @ApiPropertyOptional({ example: 'CA' }) stateOrProvince?: string;
  @ApiProperty({ example: '95125' }) postalCode!: string;
  @ApiProperty({ example: 'US' }) countryCode!: string;
}

/** eBay's ExtendedContact: who the package goes to. */
export class ExtendedContactView {
  @ApiProperty({ example: 'Jane Buyer' }) fullName!: string;
  @ApiProperty({ type: AddressView }) contactAddress!: AddressView;
}

export class ShippingStepView {
  @ApiProperty({ type: ExtendedContactView }) shipTo!: ExtendedContactView;
  @ApiProperty({ example: 'USPS' }) shippingCarrierCode!: string;
  @ApiProperty({ example: 'USPSPriority' }) shippingServiceCode!: string;
}

/** eBay's FulfillmentStartInstruction: how the order is to be shipped. */
export class FulfillmentStartInstructionView {
  @ApiProperty({ example: 'SHIP_TO' }) fulfillmentInstructionsType!: string;
  @ApiProperty({ type: ShippingStepView }) shippingStep!: ShippingStepView;
}

/** eBay's LineItem, with the fields the sandbox keeps. */
export class LineItemView {
  @ApiProperty({ example: '10000000000001' }) lineItemId!: string;
  @ApiProperty({ example: 'SKU-00001' }) sku!: string;
  @ApiProperty({ example: 'Merino crew sock, navy, S' }) title!: string;
  @ApiProperty({ example: 2 }) quantity!: number;
  /** The unit price times the quantity, before discounts. */
  @ApiProperty({ type: AmountView }) lineItemCost!: AmountView;
  @ApiProperty({ type: AmountView }) total!: AmountView;
  @ApiProperty({ enum: FULFILLMENT_STATUSES, example: 'NOT_STARTED' }) lineItemFulfillmentStatus!: string;
  @ApiProperty({ example: 'FIXED_PRICE' }) soldFormat!: string;
  @ApiProperty({ example: 'EBAY_US' }) listingMarketplaceId!: string;
  @ApiProperty({ example: 'EBAY_US' }) purchaseMarketplaceId!: string;
}

/** eBay's CancelRequest: a buyer's or the seller's request to cancel the order. */
export class CancelRequestView {
  @ApiProperty({ example: '5000000001' }) cancelRequestId!: string;
  @ApiProperty({ enum: ['BUYER', 'SELLER'], example: 'SELLER' }) cancelInitiator!: string;
  @ApiProperty({ example: 'OUT_OF_STOCK_OR_CANNOT_FULFILL' }) cancelReason!: string;
  @ApiProperty({ enum: ['REQUESTED', 'COMPLETED', 'REJECTED'], example: 'COMPLETED' })
  cancelRequestState!: string;
  @ApiProperty({ format: 'date-time' }) cancelRequestedDate!: string;
  @ApiPropertyOptional({ format: 'date-time' }) cancelCompletedDate?: string;
}

/** eBay's CancelStatus; getOrders always answers `cancelRequests` empty (getOrder fills it), as eBay does. */
export class CancelStatusView {
  @ApiProperty({ enum: ['NONE_REQUESTED', 'IN_PROGRESS', 'CANCELED'], example: 'NONE_REQUESTED' })
  cancelState!: string;
  @ApiPropertyOptional({ format: 'date-time' }) cancelledDate?: string;
  @ApiProperty({ type: [CancelRequestView] }) cancelRequests!: CancelRequestView[];
}

export class BuyerView {
  @ApiProperty({ example: 'buyer_1' }) username!: string;
}

export class PricingSummaryView {
  @ApiProperty({ type: AmountView }) priceSubtotal!: AmountView;
  @ApiProperty({ type: AmountView }) total!: AmountView;
}

/** eBay's Order, with the fields the sandbox keeps. */
export class OrderView {
  @ApiProperty({ example: '11-00001-00001' }) orderId!: string;
  /** When the buyer bought (ISO 8601, UTC, to the millisecond). */
  @ApiProperty({ format: 'date-time' }) creationDate!: string;
  /** When the order last changed: created, or a cancellation requested or completed. */
  @ApiProperty({ format: 'date-time' }) lastModifiedDate!: string;
  @ApiProperty({ enum: FULFILLMENT_STATUSES, example: 'NOT_STARTED' }) orderFulfillmentStatus!: string;
  @ApiProperty({ example: 'PAID' }) orderPaymentStatus!: string;
  @ApiProperty({ example: 'stockbridge-seller' }) sellerId!: string;
  @ApiProperty({ type: BuyerView }) buyer!: BuyerView;
  @ApiProperty({ type: PricingSummaryView }) pricingSummary!: PricingSummaryView;
  @ApiProperty({ type: CancelStatusView }) cancelStatus!: CancelStatusView;
  @ApiProperty({ type: [FulfillmentStartInstructionView] })
  fulfillmentStartInstructions!: FulfillmentStartInstructionView[];
  @ApiProperty({ type: [LineItemView] }) lineItems!: LineItemView[];
}

/** eBay's OrderSearchPagedCollection: a page of orders and the URLs of its neighbours. */
export class OrderSearchPagedCollection {
  /** This page: `…/order?filter=…&limit=50&offset=0`. */
  @ApiProperty() href!: string;
  /** The next page; only when there is one. */
  @ApiPropertyOptional() next?: string;
  /** The page before; only when there is one. */
  @ApiPropertyOptional() prev?: string;
  @ApiProperty({ example: 50 }) limit!: number;
  @ApiProperty({ example: 0 }) offset!: number;
  /** The number of orders the criteria select. */
  @ApiProperty({ example: 3 }) total!: number;
  @ApiProperty({ type: [OrderView] }) orders!: OrderView[];
  @ApiPropertyOptional({ type: [EbayErrorView] }) warnings?: EbayErrorView[];
}
