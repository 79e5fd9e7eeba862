import { ApiProperty } from '@nestjs/swagger';

export class QueueCountsView {
  @ApiProperty({ example: 12 }) waiting!: number;
  @ApiProperty({ example: 2 }) active!: number;
  /** Waiting for a retry backoff or a scheduled time. */
  @ApiProperty({ example: 3 }) delayed!: number;
  /** Failed and still in Redis; the dead letters hold the ones that gave up. */
  @ApiProperty({ example: 0 }) failed!: number;
  /** Completed and still retained. */
  @ApiProperty({ example: 950 }) completed!: number;
  /** Waiting jobs held back because the queue is paused (BullMQ 6 keeps them in the wait list). */
  @ApiProperty({ example: 0 }) paused!: number;
}

export class QueueView {
  @ApiProperty({ example: 'erp.commitments' })
  name!: string;

  /** The app whose workers take its jobs. */
  @ApiProperty({ example: 'system-erp' })
  consumer!: string;

  /** The event type (or `native`) its jobs carry. */
  @ApiProperty({ example: 'reservation.confirmed' })
  carries!: string;

  @ApiProperty({ example: false })
  isPaused!: boolean;

  @ApiProperty({ type: QueueCountsView })
  counts!: QueueCountsView;

  /** Dead letters of this queue waiting for an operator. */
  @ApiProperty({ example: 1 })
  openDeadLetters!: number;
}

export class QueueListView {
  @ApiProperty({ type: [QueueView] })
  items!: QueueView[];
}
