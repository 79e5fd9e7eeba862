import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { PageLimit, PageQuery } from '@stockbridge/app-platform';
import { DEAD_LETTER_KINDS, type DeadLetterKind, QUEUE_NAMES, type QueueName } from '@stockbridge/messaging';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

export const DEAD_LETTER_STATUSES = ['open', 'replayed', 'discarded'] as const;
export type DeadLetterStatus = (typeof DEAD_LETTER_STATUSES)[number];

/** Ten years: an age filter beyond that is a typo. */
const MAX_AGE_SECONDS = 10 * 365 * 24 * 3600;

const queueMessage = `queue must be one of: ${QUEUE_NAMES.join(', ')}`;
const kindMessage = `errorKind must be one of: ${DEAD_LETTER_KINDS.join(', ')}`;

/** The filters that select dead letters by where, why and when they failed. */
export class DeadLetterFilterFields {
  /** Only letters of this queue. */
  @ApiPropertyOptional({ enum: QUEUE_NAMES, example: 'erp.commitments' })
  @IsOptional()
  @IsIn(QUEUE_NAMES, { message: queueMessage })
  queue?: QueueName;

  /** Only letters that failed for this reason. */
  @ApiPropertyOptional({ enum: DEAD_LETTER_KINDS, example: 'unmapped' })
  @IsOptional()
  @IsIn(DEAD_LETTER_KINDS, { message: kindMessage })
  errorKind?: DeadLetterKind;

  /** Only letters that failed at least this many seconds ago. */
  @ApiPropertyOptional({ type: 'integer', example: 300, minimum: 0, maximum: MAX_AGE_SECONDS })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_AGE_SECONDS)
  minAgeSeconds?: number;

  /** Only letters that failed at most this many seconds ago. */
  @ApiPropertyOptional({ type: 'integer', example: 86400, minimum: 0, maximum: MAX_AGE_SECONDS })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_AGE_SECONDS)
  maxAgeSeconds?: number;
}

/** The filters of the dead-letter list and its page: `limit` and `cursor` (the `nextCursor` of the page before). */
export class DeadLetterQuery extends IntersectionType(DeadLetterFilterFields, PageQuery) {
  /** Only letters in this state; all states when omitted. */
  @ApiPropertyOptional({ enum: DEAD_LETTER_STATUSES, example: 'open' })
  @IsOptional()
  @IsIn(DEAD_LETTER_STATUSES, { message: `status must be one of: ${DEAD_LETTER_STATUSES.join(', ')}` })
  status?: DeadLetterStatus;

  @PageLimit(500, 50)
  limit?: number;

  /** Deprecated: use cursor. Letters skipped before the page; not with a cursor. */
  @ApiPropertyOptional({
    type: 'integer',
    example: 0,
    minimum: 0,
    maximum: 1_000_000,
    default: 0,
    deprecated: true,
    description: 'Deprecated: use cursor. Letters skipped before the page (not together with a cursor).',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  offset?: number;
}

/** Replays every open letter that matches; at least one filter is required, so "everything" is never an accident. */
export class ReplayMatchingInput extends DeadLetterFilterFields {
  /** At most this many letters, oldest first. */
  @ApiPropertyOptional({ type: 'integer', example: 100, minimum: 1, maximum: 1000, default: 100 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

export class DiscardInput {
  /** Why the letter is dropped, for the audit log. */
  @ApiPropertyOptional({ example: 'Duplicate of an order the ERP already has', maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;
}

export class DeadLetterErrorView {
  @ApiProperty({ example: 1 })
  attempt!: number;

  @ApiProperty({ example: 'ERP answered 503' })
  message!: string;
}

export class DeadLetterView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'erp.commitments' })
  queue!: string;

  /** The BullMQ job id (the event id for published events). */
  @ApiProperty({ example: '0f8c2d8e-3d0b-4a8e-9b53-2b8e0c5e1f7a' })
  jobId!: string;

  @ApiProperty({ example: 'reservation.confirmed' })
  jobName!: string;

  @ApiProperty({ nullable: true, type: String })
  eventId!: string | null;

  @ApiProperty({ nullable: true, type: String, example: 'reservation.confirmed' })
  eventType!: string | null;

  @ApiProperty({ nullable: true, type: String })
  correlationId!: string | null;

  /** The job's data as it was queued; a replay queues exactly this again. */
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true })
  payload!: unknown;

  @ApiProperty({ enum: DEAD_LETTER_KINDS, example: 'exhausted' })
  errorKind!: DeadLetterKind;

  /** The final error. */
  @ApiProperty({ example: 'ERP answered 503' })
  reason!: string;

  /** What a permanent error added, e.g. the unmapped code. */
  @ApiProperty({ type: 'object', additionalProperties: true, example: { system: 'erp', code: 'ITEM-9' } })
  details!: Record<string, unknown>;

  /** One entry per failed attempt. */
  @ApiProperty({ type: [DeadLetterErrorView] })
  errors!: DeadLetterErrorView[];

  @ApiProperty({ example: 10 })
  attemptsMade!: number;

  @ApiProperty({ enum: DEAD_LETTER_STATUSES, example: 'open' })
  status!: DeadLetterStatus;

  @ApiProperty({ format: 'date-time' })
  failedAt!: string;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  resolvedAt!: string | null;

  /** The operator who replayed or discarded it. */
  @ApiProperty({ nullable: true, type: String, example: 'alice' })
  resolvedBy!: string | null;

  /** The job id the replay was queued under. */
  @ApiProperty({ nullable: true, type: String })
  replayJobId!: string | null;
}

/** One page of dead letters, oldest first (by failure time, then id). */
export class DeadLetterPageView {
  @ApiProperty({ type: [DeadLetterView] })
  items!: DeadLetterView[];

  /** The `cursor` of the next page; null on the last page. */
  @ApiProperty({ type: String, nullable: true })
  nextCursor!: string | null;

  /** Letters matching the filter, all pages together. */
  @ApiProperty({ example: 1 })
  total!: number;
}

export class DeadLetterCountView {
  @ApiProperty({ example: 'erp.commitments' })
  queue!: string;

  @ApiProperty({ enum: DEAD_LETTER_KINDS, example: 'unmapped' })
  errorKind!: string;

  @ApiProperty({ example: 3 })
  count!: number;
}

export class DeadLetterSummaryView {
  /** Open letters across all queues. */
  @ApiProperty({ example: 3 })
  total!: number;

  /** Open letters per queue and kind (combinations without letters are left out). */
  @ApiProperty({ type: [DeadLetterCountView] })
  counts!: DeadLetterCountView[];
}

export class ReplayFailureView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'Dead letter 6f1c… was already replayed by bob.' })
  detail!: string;
}

export class ReplayMatchingView {
  /** Letters put back on their queue. */
  @ApiProperty({ type: [String], example: ['6f1c2a8e-8b7e-4d44-9a38-0b1f3f8f2a10'] })
  replayed!: string[];

  /** Letters that matched but could not be replayed, and why. */
  @ApiProperty({ type: [ReplayFailureView] })
  failed!: ReplayFailureView[];
}
