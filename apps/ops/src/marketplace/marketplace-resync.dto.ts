import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Matches } from 'class-validator';

export class ChannelParams {
  /** A marketplace channel's code. @example "marketplace" */
  @Matches(/^[a-z0-9-]{1,32}$/, { message: 'channel must be a channel code (a-z, 0-9, -; up to 32)' })
  channel!: string;
}

/** A full resync of a marketplace channel (run by experience-marketplace; docs/channels/marketplace.md). */
export class MarketplaceResyncView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  /** @example "marketplace" */
  channel!: string;
  @ApiProperty({ enum: ['api', 'ops', 'schedule', 'feed-lost', 'first-start'] }) trigger!: string;
  /** The operator (ops), or what asked for it. @example "alice" */
  requestedBy!: string;
  @ApiProperty({ format: 'date-time' }) requestedAt!: string;
  /** `requested` (waiting for the marketplace app's leader), `running`, `done`. */
  @ApiProperty({ enum: ['requested', 'running', 'done'] }) status!: string;
  @ApiPropertyOptional({ format: 'date-time', nullable: true, type: String }) startedAt!: string | null;
  @ApiPropertyOptional({ format: 'date-time', nullable: true, type: String }) finishedAt!: string | null;
  /** Tries so far. */
  attempts!: number;
  /** Listings the marketplace reported. */
  @ApiPropertyOptional({ nullable: true, type: Number }) listed!: number | null;
  /** SKUs whose quantity on the marketplace differed from what the platform last sent. */
  @ApiPropertyOptional({ nullable: true, type: Number }) corrected!: number | null;
  /** SKUs of the channel the marketplace lists, marked pending (each sent only if its figure differs). */
  @ApiPropertyOptional({ nullable: true, type: Number }) skus!: number | null;
  @ApiPropertyOptional({ nullable: true, type: String }) lastError!: string | null;
}
