import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '@stockbridge/app-platform';
import { AuditLog } from '@stockbridge/messaging';
import { AuditPageView, AuditQuery } from './audit.dto';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('v1/audit')
export class AuditController {
  constructor(private readonly audit: AuditLog) {}

  @Get()
  @ApiOperation({
    operationId: 'listAuditEntries',
    summary: 'Who did what to which thing, newest first',
    description:
      'Every audited act of the operators (replays, discards, mapping changes, reconciliation actions), newest first, filtered by target type, target id or actor.',
  })
  @ApiResponse({ status: 200, type: AuditPageView })
  @ApiProblems(400, 401)
  async listAuditEntries(@Query() query: AuditQuery): Promise<AuditPageView> {
    const entries = await this.audit.list({
      targetType: query.targetType,
      targetId: query.targetId,
      actor: query.actor,
      limit: query.limit ?? 100,
    });
    return {
      items: entries.map((e) => ({
        id: e.id,
        at: e.at.toISOString(),
        actor: e.actor,
        action: e.action,
        targetType: e.targetType,
        targetId: e.targetId,
        details: e.details,
      })),
    };
  }
}
