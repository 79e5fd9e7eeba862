import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '@stockbridge/app-platform';
import { AuditLog } from '@stockbridge/messaging';
import { Db } from '@stockbridge/persistence';
import { Actor } from '../auth/actor.decorator';
import {
  OpsAssignRequest,
  OpsExceptionListQuery,
  OpsLocationCodeParams,
  OpsResolveRequest,
  OpsRunListQuery,
  OpsSetLocationPolicyRequest,
} from './reconciliation.dto';
import { ReconciliationGateway } from './reconciliation.gateway';
import {
  ReconciliationExceptionPageView,
  ReconciliationExceptionView,
  ReconciliationPolicyView,
  ReconciliationRunDetailView,
  ReconciliationRunPageView,
  ReconciliationRunRequestedView,
} from './reconciliation-views.dto';

/** The query string of a paged list passed on: only the parameters given. */
function queryOf(params: Record<string, string | number | undefined>): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined) query.set(name, String(value));
  const text = query.toString();
  return text === '' ? '' : `?${text}`;
}

/**
 * Reconciliation for operators: runs asked for on demand, variance and exceptions read, exceptions assigned
 * and resolved with a note, locations' correction policies set — each act audited with the operator's name
 * (after process-reconciliation took it).
 */
@ApiTags('reconciliation')
@ApiBearerAuth()
@Controller('v1/reconciliation')
export class OpsReconciliationController {
  constructor(
    private readonly gateway: ReconciliationGateway,
    private readonly audit: AuditLog,
    private readonly db: Db,
  ) {}

  @Post('runs')
  @HttpCode(202)
  @ApiOperation({
    operationId: 'runReconciliationNow',
    summary: 'Runs a reconciliation now (queued in process-reconciliation)',
    description:
      "Queues a reconciliation run in process-reconciliation (one worker runs it) and records the request in the audit log with the operator's name.",
  })
  @ApiResponse({ status: 202, type: ReconciliationRunRequestedView })
  @ApiProblems(401, [503, 'process-reconciliation is unavailable or not connected'])
  async runReconciliationNow(@Actor() actor: string): Promise<ReconciliationRunRequestedView> {
    const out = await this.gateway.call<ReconciliationRunRequestedView>('POST', '/v1/reconciliation/runs', {
      requestedBy: actor,
    });
    await this.audit.write(this.db, {
      actor,
      action: 'reconciliation.run',
      targetType: 'reconciliation-run',
      targetId: out.runId,
    });
    return out;
  }

  @Get('runs')
  @ApiOperation({
    operationId: 'listReconciliationRunsForOps',
    summary: 'The reconciliation runs, newest first (paged)',
    description:
      'Read through process-reconciliation: the runs, newest first; paged by cursor (`limit`, `cursor`, `nextCursor`: docs/openapi.md, "Lists").',
  })
  @ApiResponse({ status: 200, type: ReconciliationRunPageView })
  @ApiProblems([400, 'Invalid limit or cursor'], 401, 503)
  listReconciliationRunsForOps(@Query() q: OpsRunListQuery): Promise<ReconciliationRunPageView> {
    return this.gateway.call(
      'GET',
      `/v1/reconciliation/runs${queryOf({ limit: q.limit, cursor: q.cursor })}`,
    );
  }

  @Get('runs/:id')
  @ApiOperation({
    operationId: 'getReconciliationRunForOps',
    summary: 'One run with its variance lines',
    description:
      "Read through process-reconciliation: the run and each variance line (SKU, location, our figure, the backend's, the difference).",
  })
  @ApiResponse({ status: 200, type: ReconciliationRunDetailView })
  @ApiProblems(400, 401, 404, 503)
  getReconciliationRunForOps(
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<ReconciliationRunDetailView> {
    return this.gateway.call('GET', `/v1/reconciliation/runs/${id}`);
  }

  @Get('exceptions')
  @ApiOperation({
    operationId: 'listReconciliationExceptionsForOps',
    summary: 'Exceptions ranked by revenue exposure (paged)',
    description:
      'Read through process-reconciliation: the unresolved exceptions, the largest revenue exposure (units × price) first ' +
      '(then the oldest), to work on in that order; paged by cursor (`limit`, `cursor`, `nextCursor`: docs/openapi.md, "Lists").',
  })
  @ApiResponse({ status: 200, type: ReconciliationExceptionPageView })
  @ApiProblems([400, 'Invalid filter, limit or cursor'], 401, 503)
  listReconciliationExceptionsForOps(
    @Query() q: OpsExceptionListQuery,
  ): Promise<ReconciliationExceptionPageView> {
    return this.gateway.call(
      'GET',
      `/v1/reconciliation/exceptions${queryOf({ status: q.status, limit: q.limit, cursor: q.cursor })}`,
    );
  }

  @Post('exceptions/:id/assign')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'assignReconciliationExceptionForOps',
    summary: 'Assigns an exception',
    description:
      "Assigns the exception to someone (through process-reconciliation) and records it in the audit log with the operator's name.",
  })
  @ApiResponse({ status: 200, type: ReconciliationExceptionView })
  @ApiProblems(400, 401, 404, [409, 'Already resolved'], 503)
  async assignReconciliationExceptionForOps(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: OpsAssignRequest,
    @Actor() actor: string,
  ): Promise<ReconciliationExceptionView> {
    const out = await this.gateway.call<ReconciliationExceptionView>(
      'POST',
      `/v1/reconciliation/exceptions/${id}/assign`,
      {
        assignee: body.assignee,
      },
    );
    await this.audit.write(this.db, {
      actor,
      action: 'reconciliation.exception.assign',
      targetType: 'reconciliation-exception',
      targetId: id,
      details: { assignee: body.assignee },
    });
    return out;
  }

  @Post('exceptions/:id/resolve')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'resolveReconciliationExceptionForOps',
    summary: 'Resolves an exception with a note (resolved by the operator)',
    description:
      'Resolves the exception with a note (through process-reconciliation), resolved by the operator making the call, and records it in the audit log.',
  })
  @ApiResponse({ status: 200, type: ReconciliationExceptionView })
  @ApiProblems(400, 401, 404, [409, 'Already resolved'], 503)
  async resolveReconciliationExceptionForOps(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: OpsResolveRequest,
    @Actor() actor: string,
  ): Promise<ReconciliationExceptionView> {
    const out = await this.gateway.call<ReconciliationExceptionView>(
      'POST',
      `/v1/reconciliation/exceptions/${id}/resolve`,
      {
        note: body.note,
        resolvedBy: actor,
      },
    );
    await this.audit.write(this.db, {
      actor,
      action: 'reconciliation.exception.resolve',
      targetType: 'reconciliation-exception',
      targetId: id,
      details: { note: body.note },
    });
    return out;
  }

  @Put('locations/:code/policy')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'setLocationReconciliationPolicyForOps',
    summary: "Sets a location's correction policy (trust the WMS, trust the ERP, or report only)",
    description:
      "Sets, through process-reconciliation, what reconciliation runs do with the location's variance from the next run on " +
      "(`trust-wms`, `trust-erp` or `report-only`), and records it in the audit log with the operator's name and the policy replaced.",
  })
  @ApiResponse({ status: 200, type: ReconciliationPolicyView })
  @ApiProblems(400, 401, [404, 'No such location'], 503)
  async setLocationReconciliationPolicyForOps(
    @Param() params: OpsLocationCodeParams,
    @Body() body: OpsSetLocationPolicyRequest,
    @Actor() actor: string,
  ): Promise<ReconciliationPolicyView> {
    const out = await this.gateway.call<ReconciliationPolicyView>(
      'PUT',
      `/v1/reconciliation/locations/${encodeURIComponent(params.code)}/policy`,
      { policy: body.policy },
    );
    await this.audit.write(this.db, {
      actor,
      action: 'reconciliation.location.policy',
      targetType: 'location',
      targetId: params.code,
      details: { policy: body.policy, previousPolicy: out.previousPolicy ?? null },
    });
    return out;
  }
}
