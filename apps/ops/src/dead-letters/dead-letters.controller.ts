import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems, decodeCursor, encodeCursor, ProblemError } from '@stockbridge/app-platform';
import { DeadLetters } from '@stockbridge/messaging';
import { Actor } from '../auth/actor.decorator';
import { uuidParam } from '../infra/uuid.pipe';
import { DeadLetterOperations } from './dead-letter-operations.service';
import {
  DeadLetterPageView,
  DeadLetterQuery,
  DeadLetterSummaryView,
  DeadLetterView,
  DiscardInput,
  ReplayMatchingInput,
  ReplayMatchingView,
} from './dead-letter.dto';
import { toDeadLetterView } from './dead-letter.mapper';

/** The dead-letter list's name in its cursors. */
const DEAD_LETTER_LIST = 'dead-letters';

function checkAgeRange(filter: { minAgeSeconds?: number; maxAgeSeconds?: number }): void {
  if (
    filter.minAgeSeconds !== undefined &&
    filter.maxAgeSeconds !== undefined &&
    filter.minAgeSeconds > filter.maxAgeSeconds
  ) {
    throw ProblemError.of(400, 'validation-failed', 'minAgeSeconds must not be greater than maxAgeSeconds.');
  }
}

@ApiTags('dead-letters')
@ApiBearerAuth()
@Controller('v1/dead-letters')
export class DeadLettersController {
  constructor(
    private readonly deadLetters: DeadLetters,
    private readonly operations: DeadLetterOperations,
  ) {}

  @Get()
  @ApiOperation({
    operationId: 'listDeadLetters',
    summary: 'Dead letters by queue, kind, state and age, oldest first (paged)',
    description:
      'Jobs that failed for good, filtered by queue, kind, state and age, oldest first (by failure time, then id), with the number of letters that match. Paged: up to `limit` letters a page; pass `nextCursor` back as `cursor`, with the same filters, for the next one. `offset` still works for the callers that use it (deprecated: use cursor), never together with a cursor.',
  })
  @ApiResponse({ status: 200, type: DeadLetterPageView })
  @ApiProblems([400, 'Invalid filter, an invalid cursor, or a cursor with an offset'], 401)
  async listDeadLetters(@Query() query: DeadLetterQuery): Promise<DeadLetterPageView> {
    checkAgeRange(query);
    const after = decodeCursor(DEAD_LETTER_LIST, query.cursor, ['timestamp', 'uuid']);
    if (after !== null && (query.offset ?? 0) > 0)
      throw ProblemError.of(
        400,
        'validation-failed',
        'Give either cursor or offset, not both: the cursor says where the page starts (offset is deprecated).',
      );
    const page = await this.deadLetters.list({
      queue: query.queue,
      errorKind: query.errorKind,
      status: query.status,
      minAgeSeconds: query.minAgeSeconds,
      maxAgeSeconds: query.maxAgeSeconds,
      limit: query.limit ?? 50,
      offset: query.offset ?? 0,
      after: after ? { failedAt: after[0], id: after[1] } : undefined,
    });
    return {
      items: page.items.map(toDeadLetterView),
      nextCursor: page.next ? encodeCursor(DEAD_LETTER_LIST, [page.next.failedAt, page.next.id]) : null,
      total: page.total,
    };
  }

  @Get('summary')
  @ApiOperation({
    operationId: 'summarizeDeadLetters',
    summary: 'Open dead letters per queue and kind',
    description: 'Counts of open dead letters per queue and job kind, for the dashboard and alerts.',
  })
  @ApiResponse({ status: 200, type: DeadLetterSummaryView })
  @ApiProblems(401)
  async summarizeDeadLetters(): Promise<DeadLetterSummaryView> {
    const counts = (await this.deadLetters.countOpen()).sort(
      (a, b) => a.queue.localeCompare(b.queue) || a.errorKind.localeCompare(b.errorKind),
    );
    return { total: counts.reduce((sum, c) => sum + c.count, 0), counts };
  }

  @Post('replay')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'replayMatchingDeadLetters',
    summary: 'Replay every open dead letter that matches a filter (oldest first, up to `limit`)',
    description:
      'Each letter is replayed and audited on its own; the answer lists the letters replayed and those that could not be.',
  })
  @ApiResponse({ status: 200, type: ReplayMatchingView })
  @ApiProblems([400, 'Invalid filter, or no filter at all'], 401, [503, 'A queue is unavailable'])
  async replayMatchingDeadLetters(
    @Body() input: ReplayMatchingInput,
    @Actor() actor: string,
  ): Promise<ReplayMatchingView> {
    const { queue, errorKind, minAgeSeconds, maxAgeSeconds } = input;
    if (
      queue === undefined &&
      errorKind === undefined &&
      minAgeSeconds === undefined &&
      maxAgeSeconds === undefined
    ) {
      throw ProblemError.of(
        400,
        'validation-failed',
        'Give at least one of queue, errorKind, minAgeSeconds or maxAgeSeconds.',
      );
    }
    checkAgeRange(input);
    return this.operations.replayMatching(
      { queue, errorKind, minAgeSeconds, maxAgeSeconds },
      input.limit ?? 100,
      actor,
    );
  }

  @Get(':id')
  @ApiOperation({
    operationId: 'getDeadLetter',
    summary: 'One dead letter with its payload and error history',
    description:
      'One dead letter: its payload, every error it met (newest last) and what was done with it (replays, discard).',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, type: DeadLetterView })
  @ApiProblems([400, 'The id is not a UUID'], 401, [404, 'No such dead letter'])
  async getDeadLetter(@Param('id', uuidParam('id')) id: string): Promise<DeadLetterView> {
    return toDeadLetterView(await this.operations.get(id));
  }

  @Post(':id/replay')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'replayDeadLetter',
    summary: "Put an open dead letter's job back on its queue under a new job id",
    description:
      'The letter becomes `replayed`, with the new job id and the operator, in one transaction with the audit entry.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, type: DeadLetterView })
  @ApiProblems(
    [400, 'The id is not a UUID'],
    401,
    [404, 'No such dead letter'],
    [409, 'The letter is not open (already replayed or discarded)'],
    [503, 'The queue is unavailable; the letter stays open'],
  )
  async replayDeadLetter(
    @Param('id', uuidParam('id')) id: string,
    @Actor() actor: string,
  ): Promise<DeadLetterView> {
    return toDeadLetterView(await this.operations.replay(id, actor));
  }

  @Post(':id/discard')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'discardDeadLetter',
    summary: 'Close an open dead letter without replaying it, with an optional note',
    description:
      "Closes an open dead letter without replaying it (the work is not wanted any more), with an optional note; recorded in the audit log with the operator's name.",
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiBody({ type: DiscardInput, required: false })
  @ApiResponse({ status: 200, type: DeadLetterView })
  @ApiProblems(
    [400, 'The id is not a UUID, or the note is too long'],
    401,
    [404, 'No such dead letter'],
    [409, 'The letter is not open'],
  )
  async discardDeadLetter(
    @Param('id', uuidParam('id')) id: string,
    @Body() input: DiscardInput,
    @Actor() actor: string,
  ): Promise<DeadLetterView> {
    return toDeadLetterView(await this.operations.discard(id, actor, input?.note));
  }
}
