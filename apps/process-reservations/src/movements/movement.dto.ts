import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { EXTERNAL_MOVEMENT_KINDS, type ExternalMovementKind } from '@stockbridge/ledger';
import { PageLimit, PageQuery } from '@stockbridge/app-platform';
import { IsDateString, IsIn, IsInt, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { CODE_PATTERN } from '../reservations/reservation.dto';

export class CreateMovementInput {
  /**
   * receive (+on hand), adjust (± on hand), count (on hand becomes quantity), damage (+damaged),
   * dispose-damaged (−damaged −on hand), quarantine (+quality control), release-quarantine (−quality control),
   * scrap-quarantine (−quality control −on hand), set-safety-stock (safety stock becomes quantity),
   * expect-incoming (± incoming)
   */
  @ApiProperty({ enum: EXTERNAL_MOVEMENT_KINDS, example: 'receive' })
  @IsIn(EXTERNAL_MOVEMENT_KINDS)
  kind!: ExternalMovementKind;

  @ApiProperty({ example: 'SKU-00001' })
  @IsString()
  @Matches(CODE_PATTERN)
  sku!: string;

  @ApiProperty({ example: 'WH-EAST' })
  @IsString()
  @Matches(CODE_PATTERN)
  location!: string;

  @ApiProperty({
    example: 24,
    description: 'Units; signed for adjust and expect-incoming, absolute for count and set-safety-stock',
  })
  @IsInt()
  quantity!: number;

  /** The system that reports the movement; with sourceEventId it makes the movement idempotent. */
  @ApiProperty({ example: 'wms' })
  @IsString()
  @Matches(/^[a-z0-9-]{1,32}$/)
  sourceSystem!: string;

  @ApiProperty({ example: 'rcpt-2026-000123' })
  @IsString()
  @Matches(/^[\x21-\x7e]{1,200}$/)
  sourceEventId!: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsDateString()
  occurredAt?: string;

  @ApiPropertyOptional({ example: 'cycle count aisle 4' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

export class StockLevelView {
  @ApiProperty({ example: 'SKU-00001' }) sku!: string;
  @ApiProperty({ example: 'WH-EAST' }) location!: string;
  @ApiProperty() onHand!: number;
  @ApiProperty() reserved!: number;
  @ApiProperty() allocated!: number;
  @ApiProperty() damaged!: number;
  @ApiProperty() qualityControl!: number;
  @ApiProperty() incoming!: number;
  @ApiProperty() safetyStock!: number;
  @ApiProperty({
    description:
      "Units the store's tills sold beyond what the ledger had free here, until the level is counted; while above 0 the level's availableToSell is 0",
  })
  oversold!: number;
  @ApiProperty({
    description:
      'on hand less reserved, allocated, damaged, quality control and safety stock, floored at 0; 0 while oversold',
  })
  availableToSell!: number;
  @ApiProperty() version!: number;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class MovementResultView {
  @ApiProperty({ example: '1042' })
  movementId!: string;

  @ApiProperty({ description: 'true when this source event had been applied before; nothing changed' })
  duplicate!: boolean;

  @ApiProperty({ type: StockLevelView })
  level!: StockLevelView;
}

export class LevelsQuery extends PageQuery {
  /** Only this SKU's levels (at every location). @example "SKU-00001" */
  @ApiPropertyOptional({ pattern: CODE_PATTERN.source })
  @IsOptional()
  @Matches(CODE_PATTERN, { message: 'sku must be one code of 1–64 letters, digits, ".", "_" or "-"' })
  sku?: string;

  /** Only this location's levels (every SKU). @example "WH-EAST" */
  @ApiPropertyOptional({ pattern: CODE_PATTERN.source })
  @IsOptional()
  @Matches(CODE_PATTERN, { message: 'location must be one code of 1–64 letters, digits, ".", "_" or "-"' })
  location?: string;

  @PageLimit(1000, 200)
  limit?: number;
}

export class StockLevelPageView {
  /** Ordered by SKU, then location. */
  items!: StockLevelView[];

  /** The cursor of the next page; null on the last page. */
  @ApiProperty({ type: String, nullable: true })
  nextCursor!: string | null;
}
