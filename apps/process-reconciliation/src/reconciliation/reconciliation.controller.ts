import { randomUUID } from 'node:crypto';
import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Req,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems, ProblemError, ServiceTokenGuard } from '@stockbridge/app-platform';
import { errorMessage, QueueRegistry, withDeadline } from '@stockbridge/messaging';
import type { FastifyRequest } from 'fastify';
import type { RunReconciliationPayload } from '../jobs/run-reconciliation.job';
import {
  AssignRequest,
  ExceptionListQuery,
  ExceptionPageView,
  ExceptionView,
  ResolveRequest,
  RunDetailQuery,
  RunDetailView,
  RunListQuery,
  RunPageView,
  RunRequest,
  RunRequestedView,
} from './reconciliation.dto';
import { ReconciliationRepository } from './reconciliation.repository';
import { ReconciliationService } from './reconciliation.service';

/** Runs asked for and read, exceptions listed (ranked by exposure), assigned and resolved: HTTP only. */
@ApiTags('reconciliation')
@ApiBearerAuth()
@UseGuards(ServiceTokenGuard)
@Controller('v1/reconciliation')
export class ReconciliationController {
  constructor(
    private readonly queues: QueueRegistry,
    private readonly reconciliation: ReconciliationService,
    private readonly repository: ReconciliationRepository,
  ) {}

  @Post('runs')
  @HttpCode(202)
  @ApiOperation({
    operationId: 'requestReconciliationRun',
    summary: 'Asks for a reconciliation run now (queued; one worker runs it)',
    description:
      "Queues a reconciliation run now, besides the schedule: the ledger is compared with each backend's on-hand figures and the variances become exceptions. Each call queues a run of its own; one worker runs them one at a time.",
  })
  @ApiResponse({ status: 202, type: RunRequestedView })
  @ApiProblems(401, [503, 'The queue is unavailable'])
  async requestReconciliationRun(
    @Body() body: RunRequest,
    @Req() request: FastifyRequest,
  ): Promise<RunRequestedView> {
    const runId = randomUUID();
    const data: RunReconciliationPayload = {
      trigger: 'on-demand',
      requestedBy: body.requestedBy ?? null,
      correlationId: request.id,
    };
    try {
      await withDeadline(
        this.queues.enqueue('reconciliation.runs', 'reconciliation.run', data, runId),
        2_000,
        'queue did not answer in time',
      );
    } catch (err) {
      throw ProblemError.of(
        503,
        'queue-unavailable',
        `The run could not be queued (${errorMessage(err)}); try again.`,
      );
    }
    return { runId };
  }

  @Get('runs')
  @ApiOperation({
    operationId: 'listReconciliationRuns',
    summary: 'The runs, newest first (paged)',
    description:
      'The reconciliation runs, newest first, with their status; paged by cursor (`limit`, `cursor`, `nextCursor`: docs/openapi.md, "Lists").',
  })
  @ApiResponse({ status: 200, type: RunPageView })
  @ApiProblems(401, [400, 'Invalid limit or cursor'])
  listReconciliationRuns(@Query() q: RunListQuery): Promise<RunPageView> {
    return this.repository.listRuns(q.limit ?? 50, q.cursor);
  }

  @Get('runs/:id')
  @ApiOperation({
    operationId: 'getReconciliationRun',
    summary: 'One run with its variance lines',
    description:
      "One run and each variance line: SKU, location, the ledger's figure, the backend's figure and the difference.",
  })
  @ApiResponse({ status: 200, type: RunDetailView })
  @ApiProblems(401, [400, 'Invalid id or `all`'], [404, 'No such run'])
  getReconciliationRun(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() q: RunDetailQuery,
  ): Promise<RunDetailView> {
    return this.reconciliation.runDetail(id, q.all === 'true');
  }

  @Get('exceptions')
  @ApiOperation({
    operationId: 'listReconciliationExceptions',
    summary: 'Exceptions ranked by revenue exposure (units × price), paged',
    description:
      'Unresolved exceptions, the largest revenue exposure (units × price) first (then the oldest), to work on in that order; ' +
      'paged by cursor (`limit`, `cursor`, `nextCursor`: docs/openapi.md, "Lists"). An exception whose exposure changes ' +
      'between two page reads (a run updated it) may move to a page already read or still to come.',
  })
  @ApiResponse({ status: 200, type: ExceptionPageView })
  @ApiProblems(401, [400, 'Invalid filter, limit or cursor'])
  listReconciliationExceptions(@Query() q: ExceptionListQuery): Promise<ExceptionPageView> {
    return this.repository.listExceptions(q.status ?? 'open', q.limit ?? 100, q.cursor);
  }

  @Post('exceptions/:id/assign')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'assignReconciliationException',
    summary: 'Assigns an unresolved exception to someone',
    description: 'Assigns an unresolved exception to someone; a resolved one is 409.',
  })
  @ApiResponse({ status: 200, type: ExceptionView })
  @ApiProblems(401, [404, 'No such exception'], [409, 'Already resolved'])
  assignReconciliationException(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: AssignRequest,
  ): Promise<ExceptionView> {
    return this.reconciliation.assignException(id, body.assignee);
  }

  @Post('exceptions/:id/resolve')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'resolveReconciliationException',
    summary: 'Resolves an exception with a note',
    description:
      'Resolves an exception with a note saying what was done (e.g. a count booked in the backend); a resolved one is 409.',
  })
  @ApiResponse({ status: 200, type: ExceptionView })
  @ApiProblems(401, [404, 'No such exception'], [409, 'Already resolved'])
  resolveReconciliationException(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: ResolveRequest,
  ): Promise<ExceptionView> {
    return this.reconciliation.resolveException(id, body.note, body.resolvedBy);
  }
}
