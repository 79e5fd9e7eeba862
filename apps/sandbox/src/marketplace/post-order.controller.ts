import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import {
  ApiBody,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { EbayApi } from './ebay-call-limits';
import { EbayError, postOrderErrorBody } from './ebay-errors';
import { MarketplaceOrdersService } from './marketplace-orders.service';

/** Cancel reasons a seller may give (eBay's CancelReasonEnum, seller values). */
export const SELLER_CANCEL_REASONS = [
  'OUT_OF_STOCK_OR_CANNOT_FULFILL',
  'BUYER_ASKED_CANCEL',
  'ADDRESS_ISSUES',
];
/** Cancel reasons only a buyer may give. */
export const BUYER_CANCEL_REASONS = ['ORDER_MISTAKE', 'FOUND_CHEAPER_PRICE'];

/** eBay's CreateCancelRequest, the fields the sandbox reads. */
export class CreateCancelRequest {
  /** The order to cancel: its orderId (the Fulfillment API's). */
  @ApiProperty({ example: '11-00000-00001' }) legacyOrderId!: string;
  /** Left out: OUT_OF_STOCK_OR_CANNOT_FULFILL. */
  @ApiPropertyOptional({ enum: SELLER_CANCEL_REASONS }) cancelReason?: string;
  @ApiPropertyOptional() buyerPaid?: boolean;
}

export class OrderEligibilityResult {
  @ApiProperty({ example: '11-00000-00001' }) legacyOrderId!: string;
  @ApiProperty({ example: false }) eligible!: boolean;
  @ApiProperty({ example: ['CANCELLATION_EXIST'] }) failureReason!: string[];
}

/** eBay's CreateCancelResponse: the cancellation's id, or why the order cannot be cancelled. */
export class CreateCancelResponse {
  @ApiPropertyOptional({ example: '5000000001' }) cancelId?: string;
  @ApiPropertyOptional({ type: OrderEligibilityResult }) orderEligibilityResult?: OrderEligibilityResult;
}

const invalid = (errorId: number, message: string, name: string, value: unknown) =>
  new EbayError(400, postOrderErrorBody(errorId, 400, message, [{ name, value: String(value) }]));

/**
 * The seller's order cancellation, as eBay's Post-Order API (v2) has it: a cancellation the seller starts
 * is completed at once. https://developer.ebay.com/Devzone/post-order/post-order_v2_cancellation__post.html
 */
@ApiTags('marketplace')
@EbayApi('post-order')
@Controller('post-order/v2/cancellation')
export class PostOrderController {
  constructor(private readonly orders: MarketplaceOrdersService) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({
    operationId: 'createCancellation',
    summary: 'The seller cancels an order (eBay Post-Order createCancellation)',
    description:
      'Cancels the whole order at once: its cancelStatus.cancelState becomes CANCELED and its lastModifiedDate ' +
      'now, so the next getOrders by lastmodifieddate shows it. The quantity sold is not given back to the item. ' +
      "An order that has a cancellation already (this one done before, or a buyer's request) answers " +
      '`orderEligibilityResult.eligible: false` with `failureReason: ["CANCELLATION_EXIST"]` and changes ' +
      "nothing. Errors are in the Post-Order API's own container (`errorMessage.error[]`): 1303 for an unknown " +
      'or missing legacyOrderId, 1308 for a reason only a buyer may give.',
  })
  @ApiBody({ type: CreateCancelRequest })
  @ApiResponse({ status: 200, type: CreateCancelResponse })
  @ApiResponse({
    status: 400,
    description:
      'An unknown legacyOrderId (1303) or a buyer\'s reason (1308), as `{"errorMessage":{"error":[…]}}`',
    schema: { type: 'object', additionalProperties: true },
  })
  async createCancellation(@Body() body: unknown): Promise<CreateCancelResponse> {
    const input = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    const orderId = input.legacyOrderId;
    if (typeof orderId !== 'string' || orderId.length === 0 || orderId.length > 128)
      throw invalid(
        1303,
        'Invalid item or transaction id. Ids of item or transaction should be positive number.',
        'legacyOrderId',
        orderId,
      );
    const reason = input.cancelReason ?? 'OUT_OF_STOCK_OR_CANNOT_FULFILL';
    if (typeof reason !== 'string' || !SELLER_CANCEL_REASONS.includes(reason))
      throw invalid(
        1308,
        BUYER_CANCEL_REASONS.includes(String(reason))
          ? 'The user is not allowed to perform this operation.'
          : `Invalid cancelReason; a seller gives ${SELLER_CANCEL_REASONS.join(', ')}.`,
        'cancelReason',
        reason,
      );
    const outcome = await this.orders.sellerCancel(orderId, reason);
    switch (outcome.kind) {
      case 'cancelled':
        return { cancelId: outcome.cancelId };
      case 'not-eligible':
        return {
          orderEligibilityResult: {
            legacyOrderId: orderId,
            eligible: false,
            failureReason: outcome.failureReason,
          },
        };
      case 'unknown-order':
        throw invalid(
          1303,
          'Invalid item or transaction id. Ids of item or transaction should be positive number.',
          'legacyOrderId',
          orderId,
        );
    }
  }
}
