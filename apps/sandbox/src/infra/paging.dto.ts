import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export const MAX_PAGE_SIZE = 500;

/** `?page=1&pageSize=100`, the paging every native list of the sandbox speaks. */
export class PageQuery {
  /** 1-based page number. */
  @ApiPropertyOptional({ example: 1, minimum: 1, default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  page?: number;

  @ApiPropertyOptional({ example: 100, minimum: 1, maximum: MAX_PAGE_SIZE, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  pageSize?: number;
}

/** The paging fields of a page, for the response documents (each list adds its own `items`). */
export class PageView {
  @ApiProperty({ example: 1 }) page!: number;
  @ApiProperty({ example: 100 }) pageSize!: number;
  @ApiProperty({ example: 250 }) totalItems!: number;
  @ApiProperty({ example: 3 }) totalPages!: number;
}

/** A backend's own error body, e.g. `{"error":"UNKNOWN_ITEM","itemNo":"X-1","message":"..."}`. */
export class NativeErrorView {
  @ApiProperty({ example: 'SERVICE_UNAVAILABLE' }) error!: string;
  @ApiPropertyOptional({ example: 'Item X-1 is not in the item master' }) message?: string;
}
