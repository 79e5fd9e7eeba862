import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches } from 'class-validator';
import type { Resync } from '../outbound/resyncs';

export class ResyncRequest {
  /** Who asks for the resync (recorded with it). @example "alice" */
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9._@-]{1,64}$/, { message: 'requestedBy must be 1 to 64 letters, digits or ._@-' })
  requestedBy?: string;
}

/** A full resync: every SKU of the channel compared with what the marketplace holds, differences pushed. */
export class ResyncView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  /** @example "marketplace" */
  channel!: string;
  @ApiProperty({ enum: ['api', 'ops', 'schedule', 'feed-lost', 'first-start'] }) trigger!: string;
  /** @example "alice" */
  requestedBy!: string;
  @ApiProperty({ format: 'date-time' }) requestedAt!: string;
  /** `requested` (waiting for the leader), `running` (reading the marketplace's listings), `done`. */
  @ApiProperty({ enum: ['requested', 'running', 'done'] }) status!: string;
  @ApiPropertyOptional({ format: 'date-time', nullable: true, type: String }) startedAt!: string | null;
  @ApiPropertyOptional({ format: 'date-time', nullable: true, type: String }) finishedAt!: string | null;
  /** Tries so far (a marketplace that was down is read again after a pause). */
  attempts!: number;
  /** Listings the marketplace reported. */
  @ApiPropertyOptional({ nullable: true, type: Number }) listed!: number | null;
  /** SKUs whose quantity on the marketplace differed from what the platform last sent (their figure is pushed). */
  @ApiPropertyOptional({ nullable: true, type: Number }) corrected!: number | null;
  /** SKUs of the channel the marketplace lists, marked pending (each sent only if its figure differs). */
  @ApiPropertyOptional({ nullable: true, type: Number }) skus!: number | null;
  /** The last failure of a try, if any. */
  @ApiPropertyOptional({ nullable: true, type: String }) lastError!: string | null;
}

export function toResyncView(r: Resync): ResyncView {
  return {
    id: r.id,
    channel: r.channel,
    trigger: r.trigger,
    requestedBy: r.requestedBy,
    requestedAt: r.requestedAt.toISOString(),
    status: r.status,
    startedAt: r.startedAt?.toISOString() ?? null,
    finishedAt: r.finishedAt?.toISOString() ?? null,
    attempts: r.attempts,
    listed: r.listed,
    corrected: r.corrected,
    skus: r.skus,
    lastError: r.lastError,
  };
}

/** Where the channel's outbound quantities stand. */
export class OutboundStatusView {
  /** @example "marketplace" */
  channel!: string;
  /** The marketplace adapter. @example "ebay" */
  marketplace!: string;
  /** Whether the replica that answered is the one pushing (one replica leads). */
  leading!: boolean;
  /** Listings known to the platform. */
  listings!: number;
  /** SKUs whose latest figure has not been sent yet. */
  pending!: number;
  /** Age of the oldest change not sent yet, in seconds. */
  oldestPendingSeconds!: number;
  /** SKUs whose last figure the marketplace refused (dead-lettered), unlisted ones included. */
  refused!: number;
}
