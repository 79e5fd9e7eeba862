import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { CODE_MESSAGE, CODE_PATTERN } from '../infra/codes';
import { PageQuery, PageView } from '../infra/paging.dto';
import { AMOUNT_PATTERN, SIGNED_AMOUNT_PATTERN } from './amount';

export const JOURNAL_ENTRY_TYPES = ['REVENUE', 'COGS', 'REFUND', 'INV_ADJ'] as const;
export type JournalEntryType = (typeof JOURNAL_ENTRY_TYPES)[number];

const AMOUNT_MESSAGE = 'must be a decimal string of currency units with at most two decimals, e.g. "12.50"';

export class JournalLineInput {
  @ApiProperty({ example: '100234' })
  @IsString()
  @Matches(CODE_PATTERN, { message: `itemNo ${CODE_MESSAGE}` })
  itemNo!: string;

  /** Left out for an entry that belongs to no site (a channel's revenue). */
  @ApiPropertyOptional({ example: 'S01' })
  @IsOptional()
  @IsString()
  @Matches(CODE_PATTERN, { message: `siteCode ${CODE_MESSAGE}` })
  siteCode?: string;

  /** In each; negative for units written off by an adjustment. */
  @ApiProperty({ example: 2, minimum: -1000000, maximum: 1000000 })
  @IsInt()
  @Min(-1_000_000)
  @Max(1_000_000)
  qty!: number;

  /** Currency units as a decimal string (two decimals at most); negative for a credit line. */
  @ApiProperty({ example: '19.90', pattern: SIGNED_AMOUNT_PATTERN.source })
  @IsString()
  @Matches(SIGNED_AMOUNT_PATTERN, { message: `amount ${AMOUNT_MESSAGE}` })
  amount!: string;
}

/**
 * One accounting entry. The ERP books each `postingKey` once: send it also as the `idempotency-key` header,
 * and a repeat answers 200 with the entry booked the first time.
 */
export class CreateJournalEntryInput {
  @ApiProperty({ example: 'revenue:ord-7f3a', minLength: 1, maxLength: 128 })
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  postingKey!: string;

  @ApiProperty({ enum: JOURNAL_ENTRY_TYPES, example: 'REVENUE' })
  @IsIn(JOURNAL_ENTRY_TYPES)
  type!: JournalEntryType;

  /** Currency units as a decimal string, never negative (the type says which side it books to). */
  @ApiProperty({ example: '39.80', pattern: AMOUNT_PATTERN.source })
  @IsString()
  @Matches(AMOUNT_PATTERN, { message: `amount ${AMOUNT_MESSAGE}` })
  amount!: string;

  @ApiProperty({ example: 'EUR' })
  @IsString()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code of three capital letters' })
  currency!: string;

  /** The order, return or summary the entry is for. */
  @ApiProperty({ example: 'ord-7f3a', minLength: 1, maxLength: 128 })
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  reference!: string;

  @ApiPropertyOptional({ example: 'DAMAGED', maxLength: 64 })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  reasonCode?: string;

  /** The business day the entry belongs to. */
  @ApiProperty({ example: '2025-11-28', format: 'date' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'businessDate must be a date as YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'businessDate must be a calendar date' })
  businessDate!: string;

  @ApiProperty({ type: [JournalLineInput], maxItems: 500 })
  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => JournalLineInput)
  lines!: JournalLineInput[];
}

export class JournalEntryCreatedView {
  @ApiProperty({ example: 'JE-00000017' }) entryId!: string;
  @ApiProperty({ example: 'revenue:ord-7f3a' }) postingKey!: string;
}

export class JournalLineView {
  @ApiProperty({ example: '100234' }) itemNo!: string;
  @ApiProperty({ example: 'S01', nullable: true, type: String }) siteCode!: string | null;
  @ApiProperty({ example: 2 }) qty!: number;
  @ApiProperty({ example: '19.90' }) amount!: string;
}

export class JournalEntryView {
  @ApiProperty({ example: 'JE-00000017' }) entryId!: string;
  @ApiProperty({ example: 'revenue:ord-7f3a' }) postingKey!: string;
  @ApiProperty({ enum: JOURNAL_ENTRY_TYPES, example: 'REVENUE' }) type!: JournalEntryType;
  /** Two decimals. */
  @ApiProperty({ example: '39.80' }) amount!: string;
  @ApiProperty({ example: 'EUR' }) currency!: string;
  @ApiProperty({ example: 'ord-7f3a' }) reference!: string;
  @ApiProperty({ example: null, nullable: true, type: String }) reasonCode!: string | null;
  @ApiProperty({ example: '2025-11-28', format: 'date' }) businessDate!: string;
  @ApiProperty({ type: [JournalLineView] }) lines!: JournalLineView[];
  @ApiProperty({ format: 'date-time' }) receivedAt!: string;
}

export class JournalEntryPageView extends PageView {
  @ApiProperty({ type: [JournalEntryView] }) items!: JournalEntryView[];
}

export class JournalEntryQuery extends PageQuery {
  @ApiPropertyOptional({ example: 'ord-7f3a' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  reference?: string;

  @ApiPropertyOptional({ example: 'revenue:ord-7f3a' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  postingKey?: string;
}
