import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import { PageView } from '../infra/paging.dto';

export class ListingQuantityInput {
  /** The quantity the marketplace offers for sale; 0 takes the listing offline. */
  @ApiProperty({ example: 12, minimum: 0 })
  @IsInt()
  @Min(0)
  @Max(1_000_000_000)
  quantity!: number;
}

export class ListingView {
  @ApiProperty({ example: 'SELLER-SKU-1' }) sellerSku!: string;
  @ApiProperty({ example: 12 }) quantity!: number;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class ListingPageView extends PageView {
  @ApiProperty({ type: [ListingView] }) items!: ListingView[];
}
