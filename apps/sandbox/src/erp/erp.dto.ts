import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
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
import { UOMS, type Uom } from '../infra/units';

export class ErpItemInput {
  @ApiProperty({ example: '100234' })
  @IsString()
  @Matches(CODE_PATTERN, { message: `itemNo ${CODE_MESSAGE}` })
  itemNo!: string;

  /** Left out, an existing item keeps its description (a new one gets ""). */
  @ApiPropertyOptional({ example: 'Espresso cups, white, 6 pc' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;

  /** Each per case; left out, an existing item keeps its own (a new one gets 12). */
  @ApiPropertyOptional({ example: 12, minimum: 1, maximum: 10000 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10_000)
  caseQty?: number;
}

export class UpsertErpItemsInput {
  @ApiProperty({ type: [ErpItemInput], minItems: 1, maxItems: 10000 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10_000)
  @ValidateNested({ each: true })
  @Type(() => ErpItemInput)
  items!: ErpItemInput[];
}

export class ErpSiteInput {
  @ApiProperty({ example: 'S01' })
  @IsString()
  @Matches(CODE_PATTERN, { message: `siteCode ${CODE_MESSAGE}` })
  siteCode!: string;

  @ApiPropertyOptional({ example: 'Distribution centre east' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;
}

export class UpsertErpSitesInput {
  @ApiProperty({ type: [ErpSiteInput], minItems: 1, maxItems: 10000 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10_000)
  @ValidateNested({ each: true })
  @Type(() => ErpSiteInput)
  sites!: ErpSiteInput[];
}

export class ErpOnHandInput {
  @ApiProperty({ example: '100234' })
  @IsString()
  @Matches(CODE_PATTERN, { message: `itemNo ${CODE_MESSAGE}` })
  itemNo!: string;

  @ApiProperty({ example: 'S01' })
  @IsString()
  @Matches(CODE_PATTERN, { message: `siteCode ${CODE_MESSAGE}` })
  siteCode!: string;

  /** The new on-hand quantity in each (absolute, not a delta). */
  @ApiProperty({ example: 240, minimum: 0 })
  @IsInt()
  @Min(0)
  @Max(1_000_000_000)
  qtyEach!: number;
}

export class UpsertErpOnHandInput {
  @ApiProperty({ type: [ErpOnHandInput], minItems: 1, maxItems: 10000 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10_000)
  @ValidateNested({ each: true })
  @Type(() => ErpOnHandInput)
  rows!: ErpOnHandInput[];
}

export class UpsertedView {
  @ApiProperty({ example: 250, description: 'Rows inserted or updated' })
  upserted!: number;
}

export class ErpItemView {
  @ApiProperty({ example: '100234' }) itemNo!: string;
  @ApiProperty({ example: 'Espresso cups, white, 6 pc' }) description!: string;
  @ApiProperty({ example: 12 }) caseQty!: number;
}

export class ErpItemPageView extends PageView {
  @ApiProperty({ type: [ErpItemView] }) items!: ErpItemView[];
}

export class ErpOnHandQuery extends PageQuery {
  @ApiPropertyOptional({ example: 'S01' })
  @IsOptional()
  @IsString()
  @Matches(CODE_PATTERN, { message: `siteCode ${CODE_MESSAGE}` })
  siteCode?: string;
}

export class ErpOnHandView {
  @ApiProperty({ example: '100234' }) itemNo!: string;
  @ApiProperty({ example: 'S01' }) siteCode!: string;
  @ApiProperty({ example: 250 }) qtyEach!: number;
  @ApiProperty({ example: 20, description: 'Whole cases in qtyEach' }) qtyCases!: number;
}

export class ErpOnHandPageView extends PageView {
  @ApiProperty({ type: [ErpOnHandView] }) items!: ErpOnHandView[];
}

export class CommitmentLineInput {
  @ApiProperty({ example: '100234' })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  itemNo!: string;

  @ApiProperty({ example: 'S01' })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  siteCode!: string;

  @ApiProperty({ example: 2, minimum: 1 })
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  qty!: number;

  /** EA = each, CS = case (the item's case quantity, 12 unless the item master says otherwise). */
  @ApiProperty({ enum: UOMS, example: 'CS' })
  @IsIn(UOMS)
  uom!: Uom;
}

export class CreateCommitmentInput {
  /** The caller's reference; a repeat returns the stored commitment (200) instead of a second one. */
  @ApiProperty({ example: 'ord-7f3a-1', minLength: 1, maxLength: 128 })
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  externalRef!: string;

  @ApiProperty({ type: [CommitmentLineInput], minItems: 1, maxItems: 100 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => CommitmentLineInput)
  lines!: CommitmentLineInput[];
}

export class CommitmentLineView {
  @ApiProperty({ example: '100234' }) itemNo!: string;
  @ApiProperty({ example: 'S01' }) siteCode!: string;
  @ApiProperty({ example: 24, description: 'Quantity in each' }) qty!: number;
  @ApiProperty({ enum: ['EA'], example: 'EA' }) uom!: 'EA';
}

export class CommitmentView {
  @ApiProperty({ example: 17 }) commitmentId!: number;
  @ApiProperty({ example: 'ord-7f3a-1' }) externalRef!: string;
  @ApiProperty({ type: [CommitmentLineView] }) lines!: CommitmentLineView[];
  @ApiProperty({ format: 'date-time' }) receivedAt!: string;
}

export class CommitmentPageView extends PageView {
  @ApiProperty({ type: [CommitmentView] }) items!: CommitmentView[];
}

export class CommitmentQuery extends PageQuery {
  @ApiPropertyOptional({ example: 'ord-7f3a-1' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  externalRef?: string;
}

export class UnknownItemErrorView {
  @ApiProperty({ enum: ['UNKNOWN_ITEM', 'UNKNOWN_SITE'], example: 'UNKNOWN_ITEM' }) error!: string;
  @ApiPropertyOptional({ example: '100234', description: 'With UNKNOWN_ITEM: the first unknown item' })
  itemNo?: string;
  @ApiPropertyOptional({ example: 'S09', description: 'With UNKNOWN_SITE: the first unknown site' })
  siteCode?: string;
  @ApiProperty({ example: 'Item 100234 is not in the item master' }) message!: string;
}
