import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { STORE_TRANSACTION_TYPES, type StoreTransactionType } from '@stockbridge/ledger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { CODE_PATTERN } from '../reservations/reservation.dto';

/** A till's transaction id: 1–128 visible ASCII characters. */
export const TRANSACTION_ID_PATTERN = /^[\x21-\x7e]{1,128}$/;

/** An ISO 8601 date-time with its offset (`Z` or ±hh:mm): a till's local time without one is ambiguous. */
export const DATE_TIME_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export const MAX_BATCH_TRANSACTIONS = 500;
export const MAX_TRANSACTION_LINES = 100;
export const MAX_LINE_QUANTITY = 10_000;

export class StoreTransactionLineInput {
  @ApiProperty({ example: 'SKU-00001', pattern: CODE_PATTERN.source })
  @IsString()
  @Matches(CODE_PATTERN, { message: 'sku must be 1–64 letters, digits, ".", "_" or "-"' })
  sku!: string;

  /** Units sold or returned. */
  @ApiProperty({ type: 'integer', example: 1, minimum: 1, maximum: MAX_LINE_QUANTITY })
  @IsInt()
  @Min(1)
  @Max(MAX_LINE_QUANTITY)
  quantity!: number;
}

/**
 * One transaction of the store's tills. Checked on its own: one that breaks a rule is `refused` with the
 * reason, and the others of the batch go on.
 */
export class StoreTransactionInput {
  /** The store's own id for the transaction, unique in the store: a repeat is a duplicate, never applied twice. */
  @ApiProperty({ example: 'T0042-20261202-0017', pattern: TRANSACTION_ID_PATTERN.source })
  @IsString()
  @Matches(TRANSACTION_ID_PATTERN, { message: 'transactionId must be 1–128 visible ASCII characters' })
  transactionId!: string;

  @ApiProperty({ enum: STORE_TRANSACTION_TYPES, example: 'sale' })
  @IsIn(STORE_TRANSACTION_TYPES, { message: 'type must be one of sale, return, void' })
  type!: StoreTransactionType;

  /**
   * When it happened at the till, with its offset: applied with this time, however late it arrives; more than
   * 5 minutes ahead of the ledger's clock is refused.
   */
  @ApiProperty({ format: 'date-time', example: '2026-12-02T14:31:07Z' })
  @IsString()
  @Matches(DATE_TIME_PATTERN, {
    message: 'occurredAt must be an ISO 8601 date-time with an offset, e.g. 2026-12-02T14:31:07Z',
  })
  occurredAt!: string;

  /** Sale and return: 1–100 lines. Left out of a void. */
  @ApiPropertyOptional({
    type: [StoreTransactionLineInput],
    minItems: 1,
    maxItems: MAX_TRANSACTION_LINES,
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_TRANSACTION_LINES)
  @ValidateNested({ each: true })
  @Type(() => StoreTransactionLineInput)
  lines?: StoreTransactionLineInput[];

  /** Void only: the id of the store's transaction it cancels. */
  @ApiPropertyOptional({ example: 'T0042-20261202-0016', pattern: TRANSACTION_ID_PATTERN.source })
  @IsOptional()
  @IsString()
  @Matches(TRANSACTION_ID_PATTERN, { message: 'voidsTransactionId must be 1–128 visible ASCII characters' })
  voidsTransactionId?: string;
}

export class StoreTransactionBatchInput {
  /**
   * 1–500 transactions, each an object. Each is checked and applied on its own: a malformed one is refused
   * with its reason and never blocks the others.
   */
  @ApiProperty({ type: [StoreTransactionInput], minItems: 1, maxItems: MAX_BATCH_TRANSACTIONS })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BATCH_TRANSACTIONS)
  @IsObject({ each: true, message: 'each of transactions must be an object' })
  transactions!: Record<string, unknown>[];
}

export class StoreTransactionResultView {
  /** The transaction's id as given; null when it had none usable (not a string). */
  @ApiProperty({ type: String, nullable: true, example: 'T0042-20261202-0017' })
  transactionId!: string | null;

  /**
   * `applied`: its stock changes are in the ledger (a void: it undid its transaction, or will when that
   * arrives); `duplicate`: received before with the same content, nothing changed; `voided`: its void arrived
   * first, so it is kept but not applied; `refused`: not applied, see `reason` (send it again once fixed).
   */
  @ApiProperty({ enum: ['applied', 'duplicate', 'voided', 'refused'], example: 'applied' })
  status!: 'applied' | 'duplicate' | 'voided' | 'refused';

  /** Why it was refused. */
  @ApiPropertyOptional({ example: 'unknown SKU "SKU-99999".' })
  reason?: string;
}

export class StoreTransactionBatchView {
  /** One result per transaction, in the order of the request. */
  @ApiProperty({ type: [StoreTransactionResultView] })
  results!: StoreTransactionResultView[];
}
