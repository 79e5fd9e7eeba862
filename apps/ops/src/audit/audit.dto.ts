import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageLimit, PageQuery } from '@stockbridge/app-platform';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/** The audit log's filters and page (`limit`, `cursor`). */
export class AuditQuery extends PageQuery {
  /** e.g. `dead-letter`, `sku-xref`. */
  @ApiPropertyOptional({ example: 'dead-letter' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  targetType?: string;

  @ApiPropertyOptional({ example: '6f1c2a8e-8b7e-4d44-9a38-0b1f3f8f2a10' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  targetId?: string;

  /** The operator's name. */
  @ApiPropertyOptional({ example: 'alice' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  actor?: string;

  @PageLimit(1000, 100)
  limit?: number;
}

export class AuditEntryView {
  @ApiProperty({ example: '42' })
  id!: string;

  @ApiProperty({ format: 'date-time' })
  at!: string;

  /** The operator's name. */
  @ApiProperty({ example: 'alice' })
  actor!: string;

  @ApiProperty({ example: 'dead-letter.replay' })
  action!: string;

  @ApiProperty({ example: 'dead-letter' })
  targetType!: string;

  @ApiProperty({ nullable: true, type: String, example: '6f1c2a8e-8b7e-4d44-9a38-0b1f3f8f2a10' })
  targetId!: string | null;

  /** What the action changed, e.g. the queue and the new job id of a replay. */
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { queue: 'erp.commitments', replayJobId: 'e1-replay-6f1c2a8e' },
  })
  details!: Record<string, unknown>;
}

/** One page of the audit log. */
export class AuditPageView {
  /** Newest first. */
  @ApiProperty({ type: [AuditEntryView] })
  items!: AuditEntryView[];

  /** The `cursor` of the next page (older entries); null on the last page. */
  @ApiProperty({ type: String, nullable: true })
  nextCursor!: string | null;
}
