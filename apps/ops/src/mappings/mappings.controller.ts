import { Body, Controller, Delete, Get, HttpCode, Param, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems, decodeCursor, type Page, pageOf, ProblemError } from '@stockbridge/app-platform';
import type { Xref, XrefKind } from '@stockbridge/mapping';
import { Actor } from '../auth/actor.decorator';
import { MappingAdmin } from './mapping-admin.service';
import {
  BundleView,
  CODE_PATTERN,
  LocationXrefListView,
  LocationXrefPageView,
  MappingListQuery,
  PutBundleInput,
  PutLocationXrefsInput,
  PutSkuXrefsInput,
  PutUomsInput,
  SkuXrefListView,
  SkuXrefPageView,
  SYSTEM_PATTERN,
  UomListView,
  UomPageView,
} from './mapping.dto';

/** Path parameters are checked like body fields: a malformed code is a 400, never a lookup. */
function checkPath(name: string, value: string, pattern: RegExp, rule: string): string {
  if (!pattern.test(value))
    throw ProblemError.of(400, 'validation-failed', `${name} must be ${rule}.`, {
      errors: [`${name} must be ${rule}`],
    });
  return value;
}
const system = (v: string) => checkPath('system', v, SYSTEM_PATTERN, '1–32 lowercase letters, digits or "-"');
const code = (name: string, v: string) =>
  checkPath(name, v, CODE_PATTERN, '1–128 letters, digits, ".", "_" or "-"');

/** The mapping lists' names in their cursors. */
const SKU_LIST = 'sku-mappings';
const LOCATION_LIST = 'location-mappings';
const UOM_LIST = 'uom-mappings';

@ApiTags('mappings')
@ApiBearerAuth()
@Controller('v1/mappings')
export class MappingsController {
  constructor(private readonly admin: MappingAdmin) {}

  @Get('skus')
  @ApiOperation({
    operationId: 'listSkuMappings',
    summary: "Backends' item codes and our SKUs (paged)",
    description:
      "The cross-references from each backend's item codes to our SKUs that the system adapters translate with, filtered by backend, by backend then item code. Paged: up to `limit` a page; pass `nextCursor` back as `cursor`, with the same filter, for the next one.",
  })
  @ApiResponse({ status: 200, type: SkuXrefPageView })
  @ApiProblems(400, 401)
  async listSkuMappings(@Query() query: MappingListQuery): Promise<SkuXrefPageView> {
    return this.xrefPage('sku', SKU_LIST, query, (r) => ({
      system: r.system,
      externalCode: r.externalCode,
      sku: r.code,
    }));
  }

  @Put('skus')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'putSkuMappings',
    summary: 'Set SKU cross-references (audited)',
    description:
      'A SKU or item code that pointed elsewhere in that backend is moved. Dead letters quarantined as `unmapped` can then be replayed.',
  })
  @ApiResponse({ status: 200, type: SkuXrefListView, description: 'The cross-references as set' })
  @ApiProblems(400, 401)
  async putSkuMappings(@Body() input: PutSkuXrefsInput, @Actor() actor: string): Promise<SkuXrefListView> {
    await this.admin.putXrefs(
      'sku',
      input.items.map((i) => ({ system: i.system, externalCode: i.externalCode, code: i.sku })),
      actor,
    );
    return {
      items: input.items.map((i) => ({ system: i.system, externalCode: i.externalCode, sku: i.sku })),
    };
  }

  @Delete('skus/:system/:externalCode')
  @HttpCode(204)
  @ApiOperation({
    operationId: 'deleteSkuMapping',
    summary: "Remove one backend item code's cross-reference (audited)",
    description:
      'Removes the cross-reference of one backend item code (a wrong one, or one the backend retired). Recorded in the audit log.',
  })
  @ApiParam({ name: 'system', example: 'erp' })
  @ApiParam({ name: 'externalCode', example: 'ITEM-00001' })
  @ApiResponse({ status: 204, description: 'Removed' })
  @ApiProblems(400, 401, [404, 'No such cross-reference'])
  async deleteSkuMapping(
    @Param('system') sys: string,
    @Param('externalCode') externalCode: string,
    @Actor() actor: string,
  ): Promise<void> {
    if (!(await this.admin.deleteXref('sku', system(sys), code('externalCode', externalCode), actor))) {
      throw ProblemError.of(
        404,
        'mapping-not-found',
        `No SKU cross-reference for ${externalCode} in ${sys}.`,
      );
    }
  }

  @Get('locations')
  @ApiOperation({
    operationId: 'listLocationMappings',
    summary: "Backends' site codes and our locations (paged)",
    description:
      "The cross-references from each backend's site codes to our locations that the system adapters translate with, filtered by backend, by backend then site code. Paged: up to `limit` a page; pass `nextCursor` back as `cursor`, with the same filter, for the next one.",
  })
  @ApiResponse({ status: 200, type: LocationXrefPageView })
  @ApiProblems(400, 401)
  async listLocationMappings(@Query() query: MappingListQuery): Promise<LocationXrefPageView> {
    return this.xrefPage('location', LOCATION_LIST, query, (r) => ({
      system: r.system,
      externalCode: r.externalCode,
      location: r.code,
    }));
  }

  @Put('locations')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'putLocationMappings',
    summary: 'Set location cross-references (audited)',
    description: 'A location or site code that pointed elsewhere in that backend is moved.',
  })
  @ApiResponse({ status: 200, type: LocationXrefListView, description: 'The cross-references as set' })
  @ApiProblems(400, 401)
  async putLocationMappings(
    @Body() input: PutLocationXrefsInput,
    @Actor() actor: string,
  ): Promise<LocationXrefListView> {
    await this.admin.putXrefs(
      'location',
      input.items.map((i) => ({ system: i.system, externalCode: i.externalCode, code: i.location })),
      actor,
    );
    return {
      items: input.items.map((i) => ({
        system: i.system,
        externalCode: i.externalCode,
        location: i.location,
      })),
    };
  }

  @Delete('locations/:system/:externalCode')
  @HttpCode(204)
  @ApiOperation({
    operationId: 'deleteLocationMapping',
    summary: "Remove one backend site code's cross-reference (audited)",
    description:
      'Removes the cross-reference of one backend site code (a wrong one, or one the backend retired). Recorded in the audit log.',
  })
  @ApiParam({ name: 'system', example: 'wms' })
  @ApiParam({ name: 'externalCode', example: 'DC-1' })
  @ApiResponse({ status: 204, description: 'Removed' })
  @ApiProblems(400, 401, [404, 'No such cross-reference'])
  async deleteLocationMapping(
    @Param('system') sys: string,
    @Param('externalCode') externalCode: string,
    @Actor() actor: string,
  ): Promise<void> {
    if (!(await this.admin.deleteXref('location', system(sys), code('externalCode', externalCode), actor))) {
      throw ProblemError.of(
        404,
        'mapping-not-found',
        `No location cross-reference for ${externalCode} in ${sys}.`,
      );
    }
  }

  @Get('uoms')
  @ApiOperation({
    operationId: 'listUomMappings',
    summary: 'Eaches per backend unit, per SKU or as the backend default (`*`) (paged)',
    description:
      "How many eaches one unit of a backend is, per SKU or as that backend's default (`*`); the adapters convert every quantity to eaches with them. By backend, then unit, then SKU. Paged: up to `limit` a page; pass `nextCursor` back as `cursor`, with the same filter, for the next one.",
  })
  @ApiResponse({ status: 200, type: UomPageView })
  @ApiProblems(400, 401)
  async listUomMappings(@Query() query: MappingListQuery): Promise<UomPageView> {
    const after = decodeCursor(UOM_LIST, query.cursor, ['text', 'text', 'text']);
    const limit = query.limit ?? 500;
    const rows = await this.admin.listUoms({
      system: query.system,
      after: after ? [after[0], after[1], after[2]] : undefined,
      limit: limit + 1,
    });
    return pageOf(
      UOM_LIST,
      rows,
      limit,
      (r) => [r.system, r.uom, r.sku],
      (r) => r,
    );
  }

  @Put('uoms')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'putUomMappings',
    summary: 'Set unit conversions (audited)',
    description:
      'Sets (adds or replaces) unit conversions; each change is recorded in the audit log. Quantities already converted are not recomputed.',
  })
  @ApiResponse({ status: 200, type: UomListView, description: 'The conversions as set' })
  @ApiProblems(400, 401)
  async putUomMappings(@Body() input: PutUomsInput, @Actor() actor: string): Promise<UomListView> {
    const items = input.items.map((i) => ({
      system: i.system,
      uom: i.uom,
      sku: i.sku ?? '*',
      factor: i.factor,
    }));
    await this.admin.putUoms(items, actor);
    return { items };
  }

  @Get('bundles/:bundleSku')
  @ApiOperation({
    operationId: 'getBundleMapping',
    summary: "A bundle SKU's components",
    description: 'The components of a bundle SKU and how many of each one bundle holds.',
  })
  @ApiParam({ name: 'bundleSku', example: 'SKU-BUNDLE-1' })
  @ApiResponse({ status: 200, type: BundleView })
  @ApiProblems(400, 401, [404, 'The SKU is not a bundle'])
  async getBundleMapping(@Param('bundleSku') bundleSku: string): Promise<BundleView> {
    const components = await this.admin.bundle(code('bundleSku', bundleSku));
    if (components.length === 0)
      throw ProblemError.of(404, 'bundle-not-found', `${bundleSku} is not a bundle.`);
    return {
      bundleSku,
      components: components.map((c) => ({ componentSku: c.componentSku, quantity: c.quantity })),
    };
  }

  @Put('bundles/:bundleSku')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'putBundleMapping',
    summary: "Replace a bundle SKU's components (audited); none makes it no bundle",
    description:
      'Replaces the components of a bundle SKU (recorded in the audit log); an empty list makes the SKU no bundle.',
  })
  @ApiParam({ name: 'bundleSku', example: 'SKU-BUNDLE-1' })
  @ApiResponse({ status: 200, type: BundleView })
  @ApiProblems([400, 'Invalid codes, a component given twice, or the bundle as its own component'], 401)
  async putBundleMapping(
    @Param('bundleSku') bundleSku: string,
    @Body() input: PutBundleInput,
    @Actor() actor: string,
  ): Promise<BundleView> {
    code('bundleSku', bundleSku);
    const seen = new Set<string>();
    for (const c of input.components) {
      if (c.componentSku === bundleSku)
        throw ProblemError.of(400, 'validation-failed', `${bundleSku} cannot be a component of itself.`);
      if (seen.has(c.componentSku))
        throw ProblemError.of(400, 'validation-failed', `Component ${c.componentSku} is given twice.`);
      seen.add(c.componentSku);
    }
    const components = input.components.map((c) => ({ componentSku: c.componentSku, quantity: c.quantity }));
    await this.admin.putBundle(bundleSku, components, actor);
    return { bundleSku, components };
  }

  /** One page of a cross-reference list, keyed (system, external code). */
  private async xrefPage<T>(
    kind: XrefKind,
    list: string,
    query: MappingListQuery,
    view: (row: Xref) => T,
  ): Promise<Page<T>> {
    const after = decodeCursor(list, query.cursor, ['text', 'text']);
    const limit = query.limit ?? 500;
    const rows = await this.admin.listXrefs(kind, {
      system: query.system,
      after: after ? [after[0], after[1]] : undefined,
      limit: limit + 1,
    });
    return pageOf(list, rows, limit, (r) => [r.system, r.externalCode], view);
  }
}
