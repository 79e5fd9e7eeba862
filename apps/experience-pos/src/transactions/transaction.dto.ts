import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsString,
  Matches,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { CODE_PATTERN } from '../pos-openapi';

export const TRANSACTION_TYPES = ['sale', 'return', 'void'] as const;
export type TransactionType = (typeof TRANSACTION_TYPES)[number];

export const TRANSACTION_STATUSES = ['applied', 'duplicate', 'voided', 'refused'] as const;
export type TransactionStatus = (typeof TRANSACTION_STATUSES)[number];

/** A till's own transaction id: 1–128 visible ASCII characters. */
export const TRANSACTION_ID_PATTERN = /^[\x21-\x7e]{1,128}$/;

/** An ISO 8601 date-time with seconds optional and a zone (`Z` or an offset): when it happened at the till. */
export const DATE_TIME_PATTERN =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

export const MAX_BATCH = 500;
export const MAX_LINES = 100;

/** One line of a sale or a return. */
export class PosTransactionLine {
  @ApiProperty({ example: 'SKU-00001', pattern: CODE_PATTERN.source })
  @IsString()
  @Matches(CODE_PATTERN, { message: 'sku must be 1–64 letters, digits, ".", "_" or "-"' })
  sku!: string;

  @ApiProperty({ type: 'integer', example: 1, minimum: 1, maximum: 10000 })
  @IsInt({ message: 'quantity must be a whole number' })
  @Min(1)
  @Max(10_000)
  quantity!: number;
}

/**
 * One transaction of a till. Checked on its own: a malformed one is `refused` in the answer and the others of
 * the batch are applied all the same.
 */
export class PosTransaction {
  /** The till's own id for it, unique in your store: posting it again is harmless (`duplicate`). */
  @ApiProperty({
    example: 'NYC-T3-000184',
    minLength: 1,
    maxLength: 128,
    pattern: TRANSACTION_ID_PATTERN.source,
  })
  @IsString()
  @Matches(TRANSACTION_ID_PATTERN, { message: 'transactionId must be 1–128 visible ASCII characters' })
  transactionId!: string;

  @ApiProperty({
    enum: TRANSACTION_TYPES,
    enumName: 'PosTransactionType',
    example: 'sale',
    description:
      'sale (units left the store), return (units came back), void (cancels an earlier transaction)',
  })
  @IsIn(TRANSACTION_TYPES, { message: `type must be one of ${TRANSACTION_TYPES.join(', ')}` })
  type!: TransactionType;

  /**
   * When it happened at the till, with its zone (`Z` or an offset). Applied with this time however late it
   * arrives; more than 5 minutes in the future is refused.
   */
  @ApiProperty({ format: 'date-time', example: '2026-01-05T09:41:07.000-05:00' })
  @IsString()
  @Matches(DATE_TIME_PATTERN, { message: 'occurredAt must be an ISO 8601 date-time with a zone' })
  occurredAt!: string;

  /** What was sold or returned (1–100 lines); a void has none. */
  @ApiPropertyOptional({ type: [PosTransactionLine], minItems: 1, maxItems: MAX_LINES })
  @ValidateIf((t: PosTransaction) => t.type !== 'void' || t.lines !== undefined)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_LINES)
  @ValidateNested({ each: true })
  @Type(() => PosTransactionLine)
  lines?: PosTransactionLine[];

  /** The transaction a void cancels (of this store); only on a void. */
  @ApiPropertyOptional({ example: 'NYC-T3-000183', pattern: TRANSACTION_ID_PATTERN.source })
  @ValidateIf((t: PosTransaction) => t.type === 'void' || t.voidsTransactionId !== undefined)
  @IsString()
  @Matches(TRANSACTION_ID_PATTERN, { message: 'voidsTransactionId must be 1–128 visible ASCII characters' })
  voidsTransactionId?: string;
}

/** A batch from a store's tills, in any order and however late. */
export class PosTransactionBatch {
  /**
   * 1–500 transactions. Each is checked and applied on its own; the answer has one result per transaction, in
   * this order.
   */
  @ApiProperty({ type: [PosTransaction], minItems: 1, maxItems: MAX_BATCH })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BATCH)
  transactions!: unknown[];
}

export class PosTransactionResult {
  /** The transaction's id as sent; null when it had none that could be read. */
  @ApiProperty({ type: String, nullable: true, example: 'NYC-T3-000184' })
  transactionId!: string | null;

  @ApiProperty({
    enum: TRANSACTION_STATUSES,
    enumName: 'PosTransactionStatus',
    example: 'applied',
    description:
      'applied (the stock changed now), duplicate (already applied: nothing changed), voided (a void of it ' +
      'arrived first: recorded, not applied), refused (not applied; `reason` says why — fix it and send it again)',
  })
  status!: TransactionStatus;

  /** Why it was refused. */
  @ApiPropertyOptional({ example: 'lines.0.quantity must not be less than 1' })
  reason?: string;
}

export class PosTransactionResults {
  /** One result per transaction sent, in the order sent. */
  @ApiProperty({ type: [PosTransactionResult] })
  results!: PosTransactionResult[];
}
