import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageLimit, PageQuery } from '@stockbridge/app-platform';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

/** The stock exceptions' filters and page (`limit`, `cursor`). */
export class StockExceptionListQuery extends PageQuery {
  /** Only exceptions of this kind, e.g. `negative-stock`. */
  @ApiPropertyOptional({ example: 'negative-stock', pattern: '^[a-z0-9-]{1,64}$' })
  @IsOptional()
  @Matches(/^[a-z0-9-]{1,64}$/, { message: 'kind must be 1–64 lowercase letters, digits or "-"' })
  kind?: string;

  /** `open` (the default), `resolved` or `all`. */
  @ApiPropertyOptional({ enum: ['open', 'resolved', 'all'], default: 'open' })
  @IsOptional()
  @IsIn(['open', 'resolved', 'all'])
  status?: 'open' | 'resolved' | 'all';

  @PageLimit(500, 100)
  limit?: number;
}

export class ResolveStockExceptionInput {
  /** What was found and done, for the audit log. @example "Counted the shelf; the till had scanned a wrong size" */
  @IsString()
  @MaxLength(1000)
  @Matches(/\S/, { message: 'note must not be blank' })
  note!: string;
}

export class StockExceptionView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  /** `negative-stock`: a store's tills sold more than the ledger had free there; other kinds may follow. */
  @ApiProperty({ example: 'negative-stock' })
  kind!: string;

  @ApiProperty({ example: 'SKU-00001' })
  sku!: string;

  @ApiProperty({ type: String, nullable: true, example: 'STORE-NYC' })
  location!: string | null;

  /** What it is about, e.g. the store transaction (`<store>/<transactionId>`) or an order id. */
  @ApiProperty({ type: String, nullable: true, example: 'STORE-NYC/T0042-20261202-0017' })
  reference!: string | null;

  /** What the ledger knew when it opened it, e.g. the units oversold and the movement that oversold. */
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { transactionId: 'T0042-20261202-0017', type: 'sale', oversold: 2, movementId: '1042' },
  })
  details!: Record<string, unknown>;

  @ApiProperty({ enum: ['open', 'resolved'], example: 'open' })
  status!: 'open' | 'resolved';

  @ApiProperty({ format: 'date-time' })
  openedAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  resolvedAt!: string | null;

  /** `count` or `void` when the ledger resolved it, the operator's name when an operator did. */
  @ApiProperty({ type: String, nullable: true, example: 'count' })
  resolvedBy!: string | null;

  /** What resolved it. */
  @ApiProperty({ type: String, nullable: true, example: 'Counted: oversold reset to 0 by movement 1077.' })
  resolution!: string | null;

  /** The operator's note. */
  @ApiProperty({ type: String, nullable: true })
  note!: string | null;
}

/** One page of stock exceptions. */
export class StockExceptionPageView {
  /** Newest first. */
  @ApiProperty({ type: [StockExceptionView] })
  items!: StockExceptionView[];

  /** The `cursor` of the next page (older exceptions); null on the last page. */
  @ApiProperty({ type: String, nullable: true })
  nextCursor!: string | null;
}
