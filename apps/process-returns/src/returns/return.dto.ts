import { ApiProperty } from '@nestjs/swagger';
import { PageLimit, PageQuery } from '@stockbridge/app-platform';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

const CODE = /^[A-Za-z0-9._-]{1,64}$/;
const SOURCE = /^[a-z0-9-]{1,32}$/;

/** The SKU of a line, for uniqueness; anything that is not an object is left to the nested validation. */
const skuOf = (line: unknown): unknown =>
  line !== null && typeof line === 'object' ? (line as { sku?: unknown }).sku : Symbol('not-a-line');

export class ReturnLineInput {
  /** Canonical SKU. @example "SKU-00001" */
  @IsString()
  @Matches(CODE, { message: 'sku must be 1–64 letters, digits, ".", "_" or "-"' })
  sku!: string;

  /** Units. @example 3 */
  @IsInt()
  @Min(1)
  @Max(100_000)
  quantity!: number;
}

export class OpenReturnInput {
  /** The order the units were shipped on. @example "0b6f2f4e-8d7c-4b1a-9e3f-5a2d1c0b9e8f" */
  @IsUUID()
  orderId!: string;

  /** Who opens the return: `oms`, or the code of the order's channel. @example "web" */
  @IsString()
  @Matches(SOURCE, {
    message: 'source must be "oms" or a channel code (1–32 lowercase letters, digits, "-")',
  })
  source!: string;

  /** The source's own return reference: the same one again answers the existing return. @example "RMA-10042" */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @Matches(/\S/, { message: 'externalRef must not be blank' })
  externalRef?: string;

  /** Why the customer returns it. @example "wrong size" */
  @IsString()
  @MaxLength(500)
  @Matches(/\S/, { message: 'reason must not be blank' })
  reason!: string;

  /** Units to return per SKU, each SKU once. */
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ArrayUnique(skuOf, { message: 'lines must list each SKU once' })
  @ValidateNested({ each: true })
  @Type(() => ReturnLineInput)
  lines!: ReturnLineInput[];
}

export class ReceiveReturnInput {
  /** Location the units arrived at (they go into its quality control). @example "WH-EAST" */
  @IsString()
  @Matches(CODE, { message: 'location must be 1–64 letters, digits, ".", "_" or "-"' })
  location!: string;

  /** Units that arrived per SKU, at most those of the return; SKUs left out did not arrive. */
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ArrayUnique(skuOf, { message: 'lines must list each SKU once' })
  @ValidateNested({ each: true })
  @Type(() => ReturnLineInput)
  lines!: ReturnLineInput[];
}

export class GradeLineInput {
  /** @example "SKU-00001" */
  @IsString()
  @Matches(CODE, { message: 'sku must be 1–64 letters, digits, ".", "_" or "-"' })
  sku!: string;

  /** Units fit to sell again. @example 2 */
  @IsInt()
  @Min(0)
  @Max(100_000)
  resell!: number;

  /** Units kept as damaged stock. @example 1 */
  @IsInt()
  @Min(0)
  @Max(100_000)
  damaged!: number;

  /** Units written off. @example 0 */
  @IsInt()
  @Min(0)
  @Max(100_000)
  destroy!: number;
}

export class GradeReturnInput {
  /** Per SKU received, how its units were graded; the three add up to the units received. */
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ArrayUnique(skuOf, { message: 'lines must list each SKU once' })
  @ValidateNested({ each: true })
  @Type(() => GradeLineInput)
  lines!: GradeLineInput[];
}

/** A page of returns, newest first: `cursor` is the `nextCursor` of the page before, with the same `orderId`. */
export class ReturnListQuery extends PageQuery {
  /** Only the returns of this order. */
  @IsOptional()
  @IsUUID()
  orderId?: string;

  @PageLimit(500, 100)
  limit?: number;
}

export class RmaLineView {
  /** @example "SKU-00001" */
  sku!: string;
  /** Units announced. @example 3 */
  quantity!: number;
  /** Units received into quality control. @example 3 */
  received!: number;
  /** Units graded fit to sell again. @example 2 */
  resell!: number;
  /** Units graded damaged. @example 1 */
  damaged!: number;
  /** Units graded to be destroyed (written off). @example 0 */
  destroyed!: number;
}

export class RmaView {
  id!: string;
  orderId!: string;
  /** The order's channel. @example "web" */
  channel!: string;
  /** Who opened the return: `oms` or the channel. @example "web" */
  source!: string;
  externalRef!: string | null;
  reason!: string;
  /** open → received → graded. @example "open" */
  status!: 'open' | 'received' | 'graded' | 'cancelled';
  /** Where the units were received; null until then. @example "WH-EAST" */
  location!: string | null;
  lines!: RmaLineView[];
  createdAt!: string;
  updatedAt!: string;
}

/** A page of returns, newest first (by creation time, then id). */
export class RmaPageView {
  items!: RmaView[];
  /** The cursor of the next page (pass it back as `cursor`); null on the last page. */
  @ApiProperty({ type: String, nullable: true })
  nextCursor!: string | null;
}
