import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** RFC 9457 problem details, for the OpenAPI documents. */
export class ProblemView {
  @ApiProperty({ example: 'https://stockbridge.dev/problems/validation-failed' })
  type!: string;

  @ApiProperty({ example: 'Bad Request' })
  title!: string;

  @ApiProperty({ example: 400 })
  status!: number;

  @ApiProperty({ example: 'lines.0.quantity must not be less than 1' })
  detail!: string;

  @ApiPropertyOptional({ description: 'Correlation id of the request, as logged by the server' })
  instance?: string;
}

export class ShortageView {
  @ApiProperty({ example: 'SKU-00001' })
  sku!: string;

  @ApiProperty({ example: 5 })
  requested!: number;

  @ApiProperty({ example: 2 })
  available!: number;
}

export class InsufficientStockProblemView extends ProblemView {
  @ApiProperty({ type: [ShortageView] })
  shortages!: ShortageView[];
}
