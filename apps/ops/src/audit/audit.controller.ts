import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems, decodeCursor, pageOf } from '@stockbridge/app-platform';
import { AuditLog } from '@stockbridge/messaging';
import { AuditPageView, AuditQuery } from './audit.dto';

/** The audit log's name in its cursors. */
const AUDIT_LIST = 'audit';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('v1/audit')
export class AuditController {
  constructor(private readonly audit: AuditLog) {}

  @Get()
  @ApiOperation({
    operationId: 'listAuditEntries',
    summary: 'Who did what to which thing, newest first (paged)',
    description:
      'Every audited act of the operators (replays, discards, mapping changes, reconciliation actions), newest first, filtered by target type, target id or actor. Paged: up to `limit` entries a page; pass `nextCursor` back as `cursor`, with the same filters, for the next one.',
  })
  @ApiResponse({ status: 200, type: AuditPageView })
  @ApiProblems(400, 401)
  async listAuditEntries(@Query() query: AuditQuery): Promise<AuditPageView> {
    const after = decodeCursor(AUDIT_LIST, query.cursor, ['integer']);
    const limit = query.limit ?? 100;
    const entries = await this.audit.list({
      targetType: query.targetType,
      targetId: query.targetId,
      actor: query.actor,
      beforeId: after?.[0],
      limit: limit + 1,
    });
    return pageOf(
      AUDIT_LIST,
      entries,
      limit,
      (e) => [e.id],
      (e) => ({
        id: e.id,
        at: e.at.toISOString(),
        actor: e.actor,
        action: e.action,
        targetType: e.targetType,
        targetId: e.targetId,
        details: e.details,
      }),
    );
  }
}
