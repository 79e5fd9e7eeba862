import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNumberString, IsString, Length } from 'class-validator';

/** eBay's ErrorParameter: an input that contributed to an error or warning. */
export class EbayErrorParameterView {
  @ApiProperty({ example: 'sku' }) name!: string;
  @ApiProperty({ example: 'SKU-00001' }) value!: string;
}

/** eBay's Error (ErrorDetailV3), as the Sell APIs answer it. */
export class EbayErrorView {
  @ApiProperty({ example: 25702 }) errorId!: number;
  @ApiProperty({ example: 'API_INVENTORY' }) domain!: string;
  @ApiPropertyOptional({ example: 'Selling' }) subdomain?: string;
  @ApiProperty({ enum: ['REQUEST', 'APPLICATION', 'BUSINESS'], example: 'REQUEST' }) category!: string;
  @ApiProperty({ example: 'SKU SKU-00001 is not available in the system' }) message!: string;
  @ApiPropertyOptional() longMessage?: string;
  @ApiPropertyOptional({ type: [EbayErrorParameterView] }) parameters?: EbayErrorParameterView[];
}

/** eBay's error container of the Sell APIs: `{ "errors": [ … ] }`. */
export class EbayErrorsView {
  @ApiProperty({ type: [EbayErrorView] }) errors!: EbayErrorView[];
}

/** eBay's Amount: a value (a decimal string) in a currency (ISO 4217). */
export class AmountView {
  @ApiProperty({ example: 'USD' }) currency!: string;
  @ApiProperty({ example: '18.00' }) value!: string;
}

/** A price in an offer update (validated: the sandbox keeps no offers, but reads the shape). */
export class AmountInput {
  @ApiProperty({ example: 'USD' })
  @IsString()
  @Length(3, 3)
  currency!: string;

  @ApiProperty({ example: '18.00' })
  @IsNumberString()
  value!: string;
}
