import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems, decodeCursor, pageOf, ProblemError } from '@stockbridge/app-platform';
import {
  type StockException,
  StockExceptionAlreadyResolved,
  StockExceptionNotFound,
  StockExceptions,
} from '@stockbridge/ledger';
import { AuditLog } from '@stockbridge/messaging';
import { Actor } from '../auth/actor.decorator';
import { uuidParam } from '../infra/uuid.pipe';
import {
  ResolveStockExceptionInput,
  StockExceptionListQuery,
  StockExceptionPageView,
  StockExceptionView,
} from './stock-exception.dto';

/** The stock exceptions list's name in its cursors. */
const STOCK_EXCEPTION_LIST = 'stock-exceptions';

function toView(e: StockException): StockExceptionView {
  return {
    id: e.id,
    kind: e.kind,
    sku: e.sku,
    location: e.location,
    reference: e.reference,
    details: e.details,
    status: e.status,
    openedAt: e.openedAt.toISOString(),
    resolvedAt: e.resolvedAt?.toISOString() ?? null,
    resolvedBy: e.resolvedBy,
    resolution: e.resolution,
    note: e.note,
  };
}

/**
 * Stock exceptions for operators (docs/inventory-model.md#stock-exceptions): a store whose tills oversold
 * (`negative-stock`), and later kinds. Listed newest first, resolved with a note; resolving is audited and
 * moves no stock (a count of the level resolves a `negative-stock` exception by itself).
 */
@ApiTags('stock-exceptions')
@ApiBearerAuth()
@Controller('v1/stock-exceptions')
export class StockExceptionsController {
  constructor(
    private readonly exceptions: StockExceptions,
    private readonly audit: AuditLog,
  ) {}

  @Get()
  @ApiOperation({
    operationId: 'listStockExceptions',
    summary: 'Stock exceptions by kind and status, newest first (paged)',
    description:
      "Exceptions the ledger opened for operators, e.g. `negative-stock` when a store's tills sold more than the " +
      'ledger had free there (the level shows 0 until counted; the count resolves it). `status` is `open` by ' +
      'default, `resolved` or `all`. Paged: up to `limit` a page; pass `nextCursor` back as `cursor`, with the ' +
      'same filters, for the next one.',
  })
  @ApiResponse({ status: 200, type: StockExceptionPageView })
  @ApiProblems([400, 'Invalid filter, limit or cursor'], 401)
  async listStockExceptions(@Query() query: StockExceptionListQuery): Promise<StockExceptionPageView> {
    const after = decodeCursor(STOCK_EXCEPTION_LIST, query.cursor, ['timestamp', 'uuid']);
    const limit = query.limit ?? 100;
    const rows = await this.exceptions.list({
      kind: query.kind,
      status: query.status ?? 'open',
      after: after ? [after[0], after[1]] : undefined,
      limit: limit + 1,
    });
    return pageOf(
      STOCK_EXCEPTION_LIST,
      rows,
      limit,
      (r) => r.key,
      (r) => toView(r.exception),
    );
  }

  @Post(':id/resolve')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'resolveStockException',
    summary: 'Resolve an open stock exception with a note (audited; no stock moves)',
    description:
      "The exception becomes `resolved` with the operator's name and note, in one transaction with its audit " +
      'entry. Stock does not move: to settle an oversold level, count it (a `count` movement), which resolves its ' +
      '`negative-stock` exception by itself. An exception already resolved is 409 `already-resolved`.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, type: StockExceptionView })
  @ApiProblems(
    [400, 'The id is not a UUID, or the note is missing or blank'],
    401,
    [404, 'No such stock exception'],
    [409, 'Already resolved'],
  )
  async resolveStockException(
    @Param('id', uuidParam('id')) id: string,
    @Body() input: ResolveStockExceptionInput,
    @Actor() actor: string,
  ): Promise<StockExceptionView> {
    try {
      const resolved = await this.exceptions.resolve(id, actor, input.note, (sql, e) =>
        this.audit.write(sql, {
          actor,
          action: 'stock-exception.resolve',
          targetType: 'stock-exception',
          targetId: e.id,
          details: { kind: e.kind, sku: e.sku, location: e.location, note: input.note },
        }),
      );
      return toView(resolved);
    } catch (err) {
      if (err instanceof StockExceptionNotFound)
        throw ProblemError.of(404, 'stock-exception-not-found', err.message);
      if (err instanceof StockExceptionAlreadyResolved)
        throw ProblemError.of(409, 'already-resolved', err.message);
      throw err;
    }
  }
}
