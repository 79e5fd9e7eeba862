import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsNumber, IsOptional, Max, Min } from 'class-validator';

/** A change to one backend's faults: the fields given replace the current ones. */
export class FaultsInput {
  /** Delay before a request that passes every other fault is handled. */
  @ApiPropertyOptional({ example: 50, minimum: 0, maximum: 60000 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(60_000)
  latencyMs?: number;

  /** Share of requests answered 500 `{"error":"INTERNAL"}`. */
  @ApiPropertyOptional({ example: 0.1, minimum: 0, maximum: 1 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  errorRate?: number;

  /** Share of requests answered 429 `{"error":"RATE_LIMITED"}`, on top of the rate limit. */
  @ApiPropertyOptional({ example: 0, minimum: 0, maximum: 1 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  tooManyRequestsRate?: number;

  /** The Retry-After header of every 429. */
  @ApiPropertyOptional({ example: 1, minimum: 1, maximum: 3600 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3600)
  retryAfterSeconds?: number;

  /** Share of requests that hang 60 s (or until the client disconnects), then answer 504. */
  @ApiPropertyOptional({ example: 0, minimum: 0, maximum: 1 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  timeoutRate?: number;

  /** Every request answered 503 `{"error":"SERVICE_UNAVAILABLE"}`. */
  @ApiPropertyOptional({ example: false })
  @IsOptional()
  @IsBoolean()
  outage?: boolean;

  /** Requests per second the backend accepts (token bucket, one second of burst); 0 turns the limit off. */
  @ApiPropertyOptional({ example: 0, minimum: 0, maximum: 100000 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100_000)
  rateLimitPerSecond?: number;

  /**
   * The next N requests are answered 500 `{"error":"INTERNAL"}` (after an outage, before everything else),
   * then the backend works again: "the ERP errors twice first" is `{"failNext":2}`. Replaces the remaining count.
   */
  @ApiPropertyOptional({ example: 2, minimum: 0, maximum: 1000000 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  failNext?: number;
}

export class FaultsView {
  @ApiProperty({ example: 0 }) latencyMs!: number;
  @ApiProperty({ example: 0 }) errorRate!: number;
  @ApiProperty({ example: 0 }) tooManyRequestsRate!: number;
  @ApiProperty({ example: 1 }) retryAfterSeconds!: number;
  @ApiProperty({ example: 0 }) timeoutRate!: number;
  @ApiProperty({ example: false }) outage!: boolean;
  @ApiProperty({ example: 0 }) rateLimitPerSecond!: number;
  /** Requests still to be answered 500 before the backend works again. */
  @ApiProperty({ example: 0 }) failNext!: number;
}

export class AllFaultsView {
  @ApiProperty({ type: FaultsView }) erp!: FaultsView;
  @ApiProperty({ type: FaultsView }) wms!: FaultsView;
  @ApiProperty({ type: FaultsView }) oms!: FaultsView;
  @ApiProperty({ type: FaultsView }) marketplace!: FaultsView;
}
