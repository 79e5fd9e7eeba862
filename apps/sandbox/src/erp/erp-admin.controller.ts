import { Body, Controller, HttpCode, Put } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '@stockbridge/http';
import { UpsertedView, UpsertErpItemsInput, UpsertErpOnHandInput, UpsertErpSitesInput } from './erp.dto';
import { ErpService } from './erp.service';

/** Seeding the stand-in ERP (not part of its native API; no faults apply). */
@ApiTags('admin')
@Controller('admin/erp')
export class ErpAdminController {
  constructor(private readonly erp: ErpService) {}

  @Put('items')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'upsertErpItems',
    summary: 'Add or update items of the ERP item master (up to 10,000 per call)',
  })
  @ApiResponse({ status: 200, type: UpsertedView })
  @ApiProblems(400)
  async upsertErpItems(@Body() input: UpsertErpItemsInput): Promise<UpsertedView> {
    return { upserted: await this.erp.upsertItems(input.items) };
  }

  @Put('sites')
  @HttpCode(200)
  @ApiOperation({ operationId: 'upsertErpSites', summary: 'Add or rename ERP sites' })
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
  })
  @ApiResponse({ status: 200, type: UpsertedView })
  @ApiProblems(400, [422, 'An item or site does not exist in the ERP; nothing changed'])
  async upsertErpOnHand(@Body() input: UpsertErpOnHandInput): Promise<UpsertedView> {
    return { upserted: await this.erp.upsertOnHand(input.rows) };
  }
}
