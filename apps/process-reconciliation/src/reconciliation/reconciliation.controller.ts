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
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems, ProblemError, ServiceTokenGuard } from '@stockbridge/app-platform';
import { Db } from '@stockbridge/ledger';
import { errorMessage, QueueRegistry, withDeadline } from '@stockbridge/messaging';
import type { FastifyRequest } from 'fastify';
import type { RunReconciliationPayload } from '../jobs/run-reconciliation.job';
import {
  AssignRequest,
  ExceptionListQuery,
  ExceptionView,
  ResolveRequest,
  RunDetailView,
  RunRequest,
  RunRequestedView,
  RunView,
} from './reconciliation.dto';

interface RunRow {
  id: string;
  trigger: string;
  requested_by: string | null;
  status: string;
  started_at: Date;
  finished_at: Date | null;
  summary: Record<string, unknown>;
  error: string | null;
}

interface ExceptionRow {
  id: string;
  run_id: string;
  last_run_id: string;
  last_seen_at: Date;
  sku: string;
  location: string;
  kind: string;
  variance: string;
  exposure_cents: string;
  status: string;
  assignee: string | null;
  note: string | null;
  resolved_by: string | null;
  opened_at: Date;
  resolved_at: Date | null;
}

const runView = (r: RunRow): RunView => ({
  id: r.id,
  trigger: r.trigger,
  requestedBy: r.requested_by,
  status: r.status,
  startedAt: r.started_at.toISOString(),
  finishedAt: r.finished_at?.toISOString() ?? null,
  summary: r.summary,
  error: r.error,
});

const exceptionView = (r: ExceptionRow): ExceptionView => ({
  id: r.id,
  runId: r.run_id,
  lastRunId: r.last_run_id,
  lastSeenAt: r.last_seen_at.toISOString(),
  sku: r.sku,
  location: r.location,
  kind: r.kind,
  variance: Number(r.variance),
  exposureCents: Number(r.exposure_cents),
  status: r.status,
  assignee: r.assignee,
  note: r.note,
  resolvedBy: r.resolved_by,
  openedAt: r.opened_at.toISOString(),
  resolvedAt: r.resolved_at?.toISOString() ?? null,
});

const num = (v: string | null) => (v === null ? null : Number(v));

@ApiTags('reconciliation')
@ApiBearerAuth()
@UseGuards(ServiceTokenGuard)
@Controller('v1/reconciliation')
export class ReconciliationController {
  constructor(
    private readonly db: Db,
    private readonly queues: QueueRegistry,
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
    summary: 'The latest runs, newest first',
    description: 'The latest reconciliation runs, newest first, with their status.',
  })
  @ApiResponse({ status: 200, type: [RunView] })
  @ApiProblems(401)
  async listReconciliationRuns(): Promise<RunView[]> {
    const res = await this.db.query<RunRow>(
      `SELECT * FROM reconciliation_runs ORDER BY started_at DESC LIMIT 50`,
    );
    return res.rows.map(runView);
  }

  @Get('runs/:id')
  @ApiOperation({
    operationId: 'getReconciliationRun',
    summary: 'One run with its variance lines',
    description:
      "One run and each variance line: SKU, location, the ledger's figure, the backend's figure and the difference.",
  })
  @ApiQuery({ name: 'all', required: false, description: 'Every line, also those without variance' })
  @ApiResponse({ status: 200, type: RunDetailView })
  @ApiProblems(401, [404, 'No such run'])
  async getReconciliationRun(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query('all') all?: string,
  ): Promise<RunDetailView> {
    const run = await this.db.query<RunRow>(`SELECT * FROM reconciliation_runs WHERE id = $1`, [id]);
    if (run.rows.length === 0) throw ProblemError.of(404, 'not-found', `No reconciliation run ${id}.`);
    const lines = await this.db.query<
      Record<string, string | null> & {
        channels_sent: Record<string, number>;
        channels_expected: Record<string, number>;
      }
    >(
      `SELECT * FROM reconciliation_lines WHERE run_id = $1
         ${all === 'true' ? '' : `AND (coalesce(erp_variance, 0) <> 0 OR coalesce(wms_variance, 0) <> 0 OR correction IS NOT NULL OR channels_sent <> channels_expected)`}
       ORDER BY exposure_cents DESC, sku, location LIMIT 10000`,
      [id],
    );
    return {
      ...runView(run.rows[0]),
      lines: lines.rows.map((l) => ({
        sku: l.sku!,
        location: l.location!,
        ledgerOnHand: num(l.ledger_on_hand),
        erpOnHand: num(l.erp_on_hand),
        wmsOnHand: num(l.wms_on_hand),
        erpVariance: num(l.erp_variance),
        wmsVariance: num(l.wms_variance),
        exposureCents: Number(l.exposure_cents),
        channelsSent: l.channels_sent,
        channelsExpected: l.channels_expected,
        correction: num(l.correction),
      })),
    };
  }

  @Get('exceptions')
  @ApiOperation({
    operationId: 'listReconciliationExceptions',
    summary: 'Exceptions ranked by revenue exposure (units × price)',
    description:
      'Unresolved exceptions, the largest revenue exposure (units × price) first, to work on in that order.',
  })
  @ApiResponse({ status: 200, type: [ExceptionView] })
  @ApiProblems(401, [400, 'Invalid filter'])
  async listReconciliationExceptions(@Query() q: ExceptionListQuery): Promise<ExceptionView[]> {
    const status = q.status ?? 'open';
    const res = await this.db.query<ExceptionRow>(
      `SELECT * FROM reconciliation_exceptions
       WHERE ($1 = 'all' OR ($1 = 'open' AND status <> 'resolved') OR status = $1)
       ORDER BY exposure_cents DESC, opened_at, id LIMIT $2`,
      [status, q.limit ?? 100],
    );
    return res.rows.map(exceptionView);
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
  async assignReconciliationException(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: AssignRequest,
  ): Promise<ExceptionView> {
    return this.transition(
      id,
      `UPDATE reconciliation_exceptions SET status = 'assigned', assignee = $2 WHERE id = $1 AND status <> 'resolved' RETURNING *`,
      [body.assignee],
    );
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
  async resolveReconciliationException(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: ResolveRequest,
  ): Promise<ExceptionView> {
    return this.transition(
      id,
      `UPDATE reconciliation_exceptions SET status = 'resolved', note = $2, resolved_by = $3, resolved_at = clock_timestamp()
       WHERE id = $1 AND status <> 'resolved' RETURNING *`,
      [body.note, body.resolvedBy],
    );
  }

  private async transition(id: string, sql: string, values: unknown[]): Promise<ExceptionView> {
    const res = await this.db.query<ExceptionRow>(sql, [id, ...values]);
    if (res.rows[0]) return exceptionView(res.rows[0]);
    const exists = await this.db.query(`SELECT 1 FROM reconciliation_exceptions WHERE id = $1`, [id]);
    if ((exists.rowCount ?? 0) === 0)
      throw ProblemError.of(404, 'not-found', `No reconciliation exception ${id}.`);
    throw ProblemError.of(409, 'already-resolved', `Exception ${id} is already resolved.`);
  }
}
