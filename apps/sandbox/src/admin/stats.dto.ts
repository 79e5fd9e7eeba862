import { ApiProperty } from '@nestjs/swagger';

export class ErpStatsView {
  /** POST /erp/api/v2/commitments calls that reached the ERP (faulted calls are not among them). */
  @ApiProperty({ example: 10 }) commitmentCalls!: number;
  @ApiProperty({ example: 7 }) commitmentsCreated!: number;
  /** Calls answered 200 with a commitment stored before. */
  @ApiProperty({ example: 2 }) commitmentDuplicates!: number;
  /** Commitment calls refused (unknown item or site). */
  @ApiProperty({ example: 1 }) rejected!: number;
  /** POST /erp/api/v2/journal-entries calls that reached the ERP (faulted calls are not among them). */
  @ApiProperty({ example: 4 }) journalEntryCalls!: number;
  /** Journal entries booked: one per posting key. */
  @ApiProperty({ example: 3 }) journalEntriesCreated!: number;
  /** Calls answered 200 with the entry booked before under the same posting key. */
  @ApiProperty({ example: 1 }) journalEntryDuplicates!: number;
  /** Journal entry calls refused (unknown item or site). */
  @ApiProperty({ example: 0 }) journalEntriesRejected!: number;
  /** Rows of on hand (item × site) the ERP holds. */
  @ApiProperty({ example: 1200 }) onHandRows!: number;
  /** Native calls answered 429 by fault injection (in memory, this instance). */
  @ApiProperty({ example: 0 }) throttled!: number;
  /** Native calls answered by any injected fault, the 429s included (in memory, this instance). */
  @ApiProperty({ example: 0 }) faulted!: number;
  /** Native calls refused for want of the backend's credential, 401 (in memory, this instance). */
  @ApiProperty({ example: 0 }) unauthorized!: number;
}

export class OmsStatsView {
  /** POST /oms/api/orders calls that reached the OMS. */
  @ApiProperty({ example: 5 }) orderCalls!: number;
  @ApiProperty({ example: 4 }) ordersCreated!: number;
  @ApiProperty({ example: 1 }) orderDuplicates!: number;
  @ApiProperty({ example: 0 }) faulted!: number;
  /** Native calls refused for want of the backend's credential, 401 (in memory, this instance). */
  @ApiProperty({ example: 0 }) unauthorized!: number;
}

export class WmsStatsView {
  @ApiProperty({ example: 12 }) eventsCreated!: number;
  /** Webhook sends, redeliveries included. */
  @ApiProperty({ example: 14 }) deliveryAttempts!: number;
  @ApiProperty({ example: 12 }) deliveriesSucceeded!: number;
  @ApiProperty({ example: 2 }) deliveriesFailed!: number;
  /** Outbound orders released (POST /wms/api/outbound-orders), whatever their status now. */
  @ApiProperty({ example: 3 }) outboundOrders!: number;
  @ApiProperty({ example: 0 }) faulted!: number;
  /** Native calls refused for want of the backend's credential, 401 (in memory, this instance). */
  @ApiProperty({ example: 0 }) unauthorized!: number;
}

export class MarketplaceStatsView {
  /** Inventory API calls that passed the credential, the faults and the call limit (in memory, this instance). */
  @ApiProperty({ example: 40 }) inventoryCalls!: number;
  /** Fulfillment API calls (getOrders, getOrder) that passed them likewise (in memory, this instance). */
  @ApiProperty({ example: 12 }) orderCalls!: number;
  /** Post-Order API calls (cancellations) that passed them likewise (in memory, this instance). */
  @ApiProperty({ example: 1 }) cancellationCalls!: number;
  /** Calls answered 429 for going past the Inventory or Fulfillment API's call limit (in memory, this instance). */
  @ApiProperty({ example: 3 }) rateLimited!: number;
  /** bulk_update_price_quantity calls read whole (not refused 400): every instance's, from the database. */
  @ApiProperty({ example: 20 }) bulkUpdateCalls!: number;
  /** Per-SKU quantity updates those calls applied. */
  @ApiProperty({ example: 480 }) skuUpdatesApplied!: number;
  /** Per-SKU requests those calls did not apply (unknown SKU, or not valid). */
  @ApiProperty({ example: 2 }) skuUpdatesRejected!: number;
  /** Inventory items (listings) the marketplace holds. */
  @ApiProperty({ example: 500 }) inventoryItems!: number;
  /** Orders buyers placed, cancelled ones included. */
  @ApiProperty({ example: 7 }) orders!: number;
  /** Orders whose cancellation completed. */
  @ApiProperty({ example: 1 }) ordersCancelled!: number;
  /** Native calls answered by any injected fault, the 429s included (in memory, this instance). */
  @ApiProperty({ example: 0 }) faulted!: number;
  /** Native calls refused for want of the backend's credential, 401 (in memory, this instance). */
  @ApiProperty({ example: 0 }) unauthorized!: number;
}

export class SandboxStatsView {
  @ApiProperty({ type: ErpStatsView }) erp!: ErpStatsView;
  @ApiProperty({ type: OmsStatsView }) oms!: OmsStatsView;
  @ApiProperty({ type: WmsStatsView }) wms!: WmsStatsView;
  @ApiProperty({ type: MarketplaceStatsView }) marketplace!: MarketplaceStatsView;
}
