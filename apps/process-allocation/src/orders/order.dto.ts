import { ApiProperty } from '@nestjs/swagger';
import { PageLimit, PageQuery } from '@stockbridge/app-platform';
import { ORDER_STATES } from '@stockbridge/orders';
import { IsIn, IsOptional, IsString, Matches } from 'class-validator';

export class OrderLineView {
  /** @example "SKU-00001" */
  sku!: string;
  quantity!: number;
  unitPriceCents!: number;
  /** Units that left a location. */
  shipped!: number;
  /** Units that will not ship (cancelled, or short with no other location to take them). */
  cancelled!: number;
}

export class FulfilmentLineView {
  sku!: string;
  quantity!: number;
  shipped!: number;
  shortPicked!: number;
  cancelled!: number;
}

export class FulfilmentOrderView {
  /** Also the WMS's order reference. */
  id!: string;
  /** @example "WH-EAST" */
  location!: string;
  /** allocated, released, partially_shipped, shipped, cancel_requested, cancelled or short_closed. */
  status!: string;
  /** 1 for the first sourcing, 2… for re-sourcing after a short pick. */
  attempt!: number;
  lines!: FulfilmentLineView[];
}

export class OrderTransitionView {
  /**
   * The state before (null for the first). Equal to `to` when the state stayed but the history records a
   * change within it: units of a short pick that no location has, cancelled while the rest still ships.
   */
  from!: string | null;
  /** @example "allocated" */
  to!: string;
  /** What caused it. @example "sourced to WH-EAST (2 × SKU-00001)" */
  cause!: string;
  /** Who caused it: an app, `oms`, a channel's code. */
  source!: string;
  /** The reporter's own status, for reported transitions. */
  nativeStatus!: string | null;
  at!: string;
}

export class PostingView {
  /** @example "revenue:6f1c2a4e-0d1b-4c55-9a47-3f1e2d3c4b5a" */
  postingKey!: string;
  /** revenue, cost-of-goods, refund or inventory-adjustment. */
  kind!: string;
  amountCents!: number;
  /** pending (waiting for the day's summary), requested, or posted (the ERP booked it). */
  status!: string;
  reasonCode!: string | null;
  erpReference!: string | null;
}

export class OrderView {
  /** The id of the reservation the order was placed from. */
  id!: string;
  channel!: string;
  reference!: string | null;
  /**
   * pending_validation, reserved, allocated, released, partially_shipped, shipped, delivered, cancelled,
   * returned or settled.
   * @example "allocated"
   */
  state!: string;
  createdAt!: string;
  updatedAt!: string;
  lines!: OrderLineView[];
  fulfilmentOrders!: FulfilmentOrderView[];
  /** Every state the order went through, oldest first, with its cause. */
  transitions!: OrderTransitionView[];
  postings!: PostingView[];
}

export class OrderQuery {
  /** Only the order of this channel (another channel's order is 404). @example "web" */
  @IsOptional()
  @Matches(/^[a-z0-9-]{1,32}$/)
  channel?: string;
}

/** A page of orders, newest first: `cursor` is the `nextCursor` of the page before, with the same filters. */
export class OrderListQuery extends PageQuery {
  @IsOptional()
  @IsIn(ORDER_STATES)
  state?: string;

  @IsOptional()
  @Matches(/^[a-z0-9-]{1,32}$/)
  channel?: string;

  @PageLimit(200, 50)
  limit?: number;
}

/** A page of orders, newest first (by creation time, then id). */
export class OrderPageView {
  items!: OrderView[];
  /** The cursor of the next page (pass it back as `cursor`); null on the last page. */
  @ApiProperty({ type: String, nullable: true })
  nextCursor!: string | null;
}

export class CancelRequest {
  /** Who cancels (recorded in the order's history). @example "web" */
  @IsString()
  @Matches(/^[A-Za-z0-9._@-]{1,64}$/)
  by!: string;

  /** Only an order of this channel. */
  @IsOptional()
  @Matches(/^[a-z0-9-]{1,32}$/)
  channel?: string;
}

export class StatusReportRequest {
  /** Who reports: `oms`, or a channel's code. @example "oms" */
  @IsString()
  @Matches(/^[a-z0-9-]{1,32}$/)
  source!: string;

  /** The reporter's own status word, mapped through order_status_mappings. @example "DELIVERED" */
  @IsString()
  @Matches(/^[A-Za-z0-9 ._-]{1,64}$/)
  status!: string;
}

export class StatusReportView {
  /** The order's state after the report. */
  state!: string;
  /** The canonical state the reported status means. */
  mappedTo!: string;
  applied!: boolean;
  /** Why the report changed nothing. */
  reason!: string | null;
}
