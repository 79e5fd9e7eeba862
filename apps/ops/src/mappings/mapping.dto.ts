import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageLimit, PageQuery } from '@stockbridge/app-platform';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';

/** A backend's name in the mapping tables, e.g. `erp`, `wms-east`. */
export const SYSTEM_PATTERN = /^[a-z0-9-]{1,32}$/;
/** A SKU, location or backend code. */
export const CODE_PATTERN = /^[A-Za-z0-9._-]{1,128}$/;
export const UOM_PATTERN = /^[A-Za-z0-9_-]{1,16}$/;

const systemMessage = (p: string) => `${p} must be 1–32 lowercase letters, digits or "-"`;
const codeMessage = (p: string) => `${p} must be 1–128 letters, digits, ".", "_" or "-"`;

/** A page of a mapping list (`limit`, `cursor`), only one backend's when `system` is given. */
export class MappingListQuery extends PageQuery {
  /** Only this backend's mappings. */
  @ApiPropertyOptional({ example: 'erp' })
  @IsOptional()
  @IsString()
  @Matches(SYSTEM_PATTERN, { message: systemMessage('system') })
  system?: string;

  @PageLimit(1000, 500)
  limit?: number;
}

export class SkuXrefInput {
  /** The backend. */
  @ApiProperty({ example: 'erp' })
  @IsString()
  @Matches(SYSTEM_PATTERN, { message: systemMessage('system') })
  system!: string;

  /** The backend's item code. */
  @ApiProperty({ example: 'ITEM-00001' })
  @IsString()
  @Matches(CODE_PATTERN, { message: codeMessage('externalCode') })
  externalCode!: string;

  /** Our SKU. */
  @ApiProperty({ example: 'SKU-00001' })
  @IsString()
  @Matches(CODE_PATTERN, { message: codeMessage('sku') })
  sku!: string;
}

export class PutSkuXrefsInput {
  /** Set as given; a SKU or backend code that pointed elsewhere in that backend is moved. */
  @ApiProperty({ type: [SkuXrefInput], minItems: 1, maxItems: 1000 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => SkuXrefInput)
  items!: SkuXrefInput[];
}

export class SkuXrefView {
  @ApiProperty({ example: 'erp' }) system!: string;
  @ApiProperty({ example: 'ITEM-00001' }) externalCode!: string;
  @ApiProperty({ example: 'SKU-00001' }) sku!: string;
}

export class SkuXrefListView {
  @ApiProperty({ type: [SkuXrefView] })
  items!: SkuXrefView[];
}

/** One page of SKU cross-references, by backend, then backend item code. */
export class SkuXrefPageView {
  @ApiProperty({ type: [SkuXrefView] })
  items!: SkuXrefView[];

  /** The `cursor` of the next page; null on the last page. */
  @ApiProperty({ type: String, nullable: true })
  nextCursor!: string | null;
}

export class LocationXrefInput {
  /** The backend. */
  @ApiProperty({ example: 'wms' })
  @IsString()
  @Matches(SYSTEM_PATTERN, { message: systemMessage('system') })
  system!: string;

  /** The backend's site or warehouse code. */
  @ApiProperty({ example: 'DC-1' })
  @IsString()
  @Matches(CODE_PATTERN, { message: codeMessage('externalCode') })
  externalCode!: string;

  /** Our location code. */
  @ApiProperty({ example: 'WH-EAST' })
  @IsString()
  @Matches(CODE_PATTERN, { message: codeMessage('location') })
  location!: string;
}

export class PutLocationXrefsInput {
  /** Set as given; a location or backend code that pointed elsewhere in that backend is moved. */
  @ApiProperty({ type: [LocationXrefInput], minItems: 1, maxItems: 1000 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => LocationXrefInput)
  items!: LocationXrefInput[];
}

export class LocationXrefView {
  @ApiProperty({ example: 'wms' }) system!: string;
  @ApiProperty({ example: 'DC-1' }) externalCode!: string;
  @ApiProperty({ example: 'WH-EAST' }) location!: string;
}

export class LocationXrefListView {
  @ApiProperty({ type: [LocationXrefView] })
  items!: LocationXrefView[];
}

/** One page of location cross-references, by backend, then backend site code. */
export class LocationXrefPageView {
  @ApiProperty({ type: [LocationXrefView] })
  items!: LocationXrefView[];

  /** The `cursor` of the next page; null on the last page. */
  @ApiProperty({ type: String, nullable: true })
  nextCursor!: string | null;
}

export class UomInput {
  @ApiProperty({ example: 'erp' })
  @IsString()
  @Matches(SYSTEM_PATTERN, { message: systemMessage('system') })
  system!: string;

  /** The backend's unit, e.g. CS (case). */
  @ApiProperty({ example: 'CS' })
  @IsString()
  @Matches(UOM_PATTERN, { message: 'uom must be 1–16 letters, digits, "_" or "-"' })
  uom!: string;

  /** Our SKU, or `*` for the backend's default for this unit. */
  @ApiPropertyOptional({ example: '*', default: '*' })
  @IsOptional()
  @IsString()
  @Matches(/^(\*|[A-Za-z0-9._-]{1,128})$/, {
    message: 'sku must be "*" or 1–128 letters, digits, ".", "_" or "-"',
  })
  sku?: string;

  /** Eaches in one unit. */
  @ApiProperty({ type: 'integer', example: 12, minimum: 1, maximum: 1000000 })
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  factor!: number;
}

export class PutUomsInput {
  @ApiProperty({ type: [UomInput], minItems: 1, maxItems: 1000 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => UomInput)
  items!: UomInput[];
}

export class UomView {
  @ApiProperty({ example: 'erp' }) system!: string;
  @ApiProperty({ example: 'CS' }) uom!: string;
  @ApiProperty({ example: '*' }) sku!: string;
  @ApiProperty({ example: 12 }) factor!: number;
}

export class UomListView {
  @ApiProperty({ type: [UomView] })
  items!: UomView[];
}

/** One page of unit conversions, by backend, then unit, then SKU. */
export class UomPageView {
  @ApiProperty({ type: [UomView] })
  items!: UomView[];

  /** The `cursor` of the next page; null on the last page. */
  @ApiProperty({ type: String, nullable: true })
  nextCursor!: string | null;
}

export class BundleComponentInput {
  @ApiProperty({ example: 'SKU-00002' })
  @IsString()
  @Matches(CODE_PATTERN, { message: codeMessage('componentSku') })
  componentSku!: string;

  /** Units of the component in one bundle. */
  @ApiProperty({ type: 'integer', example: 2, minimum: 1, maximum: 100000 })
  @IsInt()
  @Min(1)
  @Max(100_000)
  quantity!: number;
}

export class PutBundleInput {
  /** The bundle's whole recipe, replacing the previous one; empty makes the SKU no bundle any more. */
  @ApiProperty({ type: [BundleComponentInput], maxItems: 100 })
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => BundleComponentInput)
  components!: BundleComponentInput[];
}

export class BundleComponentView {
  @ApiProperty({ example: 'SKU-00002' }) componentSku!: string;
  @ApiProperty({ example: 2 }) quantity!: number;
}

export class BundleView {
  @ApiProperty({ example: 'SKU-BUNDLE-1' })
  bundleSku!: string;

  @ApiProperty({ type: [BundleComponentView] })
  components!: BundleComponentView[];
}
