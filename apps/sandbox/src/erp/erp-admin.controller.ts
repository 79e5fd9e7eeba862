import { Body, Controller, HttpCode, Put, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '@stockbridge/app-platform';
import { SandboxAdminGuard } from '../auth/sandbox-auth';
import { UpsertedView, UpsertErpItemsInput, UpsertErpOnHandInput, UpsertErpSitesInput } from './erp.dto';
import { ErpService } from './erp.service';

/** Seeding the stand-in ERP (not part of its native API; no faults apply). */
@ApiTags('admin')
@ApiBearerAuth()
@UseGuards(SandboxAdminGuard)
@ApiProblems(401)
@Controller('admin/erp')
export class ErpAdminController {
  constructor(private readonly erp: ErpService) {}

  @Put('items')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'upsertErpItems',
    summary: 'Add or update items of the ERP item master (up to 10,000 per call)',
    description:
      "Seeds the stand-in ERP's item master for tests and demos. A new item gets the description " +
      'and caseQty given (else "" and 12 each per case); an existing one changes only the fields ' +
      'given. When an itemNo appears twice in one call the last entry wins; answers the number of ' +
      "distinct items. Not part of the ERP's native API: no fault applies.",
  })
  @ApiResponse({ status: 200, type: UpsertedView })
  @ApiProblems(400)
  async upsertErpItems(@Body() input: UpsertErpItemsInput): Promise<UpsertedView> {
    return { upserted: await this.erp.upsertItems(input.items) };
  }

  @Put('sites')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'upsertErpSites',
    summary: 'Add or rename ERP sites',
    description:
      "Seeds the stand-in ERP's sites for tests and demos. A new site gets the name given (else " +
      '""); an existing one is renamed only when a name is given. When a siteCode appears twice in ' +
      'one call the last entry wins; answers the number of distinct sites. No fault applies.',
  })
  @ApiResponse({ status: 200, type: UpsertedView })
  @ApiProblems(400)
  async upsertErpSites(@Body() input: UpsertErpSitesInput): Promise<UpsertedView> {
    return { upserted: await this.erp.upsertSites(input.sites) };
  }

  @Put('on-hand')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'upsertErpOnHand',
    summary: 'Set on hand (absolute, in each) per item and site',
    description:
      "Replaces the ERP's on hand of each (item, site) given, in each: what GET /erp/api/v2/on-hand " +
      'then reports (demo data, drift for reconciliation). Items and sites must exist (PUT ' +
      '/admin/erp/items and /admin/erp/sites first): the first unknown one is 422 `unknown-item` or ' +
      '`unknown-site` and nothing changes. When a pair appears twice the last entry wins; up to ' +
      '10,000 rows. No fault applies.',
  })
  @ApiResponse({ status: 200, type: UpsertedView })
  @ApiProblems(400, [422, 'An item or site does not exist in the ERP; nothing changed'])
  async upsertErpOnHand(@Body() input: UpsertErpOnHandInput): Promise<UpsertedView> {
    return { upserted: await this.erp.upsertOnHand(input.rows) };
  }
}
