import { Body, Controller, Delete, Get, HttpCode, Param, Put, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems, ProblemError, ProblemView } from '@stockbridge/app-platform';
import { SandboxAdminGuard } from '../auth/sandbox-auth';
import { ErpService } from '../erp/erp.service';
import { SandboxAuth } from '../auth/sandbox-auth';
import { BACKENDS, type Backend, isBackend } from '../faults/faults';
import { FaultInjector } from '../faults/fault-injector.service';
import { AllFaultsView, FaultsInput, FaultsView } from '../faults/faults.dto';
import { EbayCallLimits } from '../marketplace/ebay-call-limits';
import { InventoryService } from '../marketplace/inventory.service';
import { MarketplaceOrdersService } from '../marketplace/marketplace-orders.service';
import { OmsService } from '../oms/oms.service';
import { WmsService } from '../wms/wms.service';
import { SandboxStatsView } from './stats.dto';

function backendParam(value: string): Backend {
  if (!isBackend(value))
    throw ProblemError.of(
      404,
      'unknown-backend',
      `"${value}" is not a backend; use one of ${BACKENDS.join(', ')}.`,
    );
  return value;
}

/** Fault injection and counters of the four backends. */
@ApiTags('admin')
@ApiBearerAuth()
@UseGuards(SandboxAdminGuard)
@ApiProblems(401)
@ApiExtraModels(ProblemView)
@Controller('admin')
export class AdminController {
  constructor(
    private readonly faults: FaultInjector,
    private readonly erp: ErpService,
    private readonly wms: WmsService,
    private readonly oms: OmsService,
    private readonly marketplaceInventory: InventoryService,
    private readonly marketplaceOrders: MarketplaceOrdersService,
    private readonly marketplaceCalls: EbayCallLimits,
    private readonly auth: SandboxAuth,
  ) {}

  @Get('faults')
  @ApiOperation({
    operationId: 'getFaults',
    summary: 'The faults of every backend',
    description:
      'The fault settings in force for each backend (erp, wms, oms, marketplace): those read at ' +
      'start from SANDBOX_FAULTS, as changed since through PUT /admin/faults/{backend}. Faults live ' +
      "in this instance's memory and apply to the native API routes only, never to /admin or " +
      '/oauth.',
  })
  @ApiResponse({ status: 200, type: AllFaultsView })
  getFaults(): AllFaultsView {
    return this.faults.all();
  }

  @Put('faults/:backend')
  @ApiOperation({
    operationId: 'setFaults',
    summary: "Change one backend's faults; fields left out keep their value",
    description:
      'Faults apply to the native API routes only, in this order: outage (503), failNext (500 for the next N requests, counted down), ' +
      'rate limit and tooManyRequestsRate (429 with Retry-After), ' +
      'timeoutRate (hang 60 s or until the client leaves, then 504), errorRate (500); a request that passes waits latencyMs. ' +
      'A faulted request has no side effect.',
  })
  @ApiParam({ name: 'backend', enum: BACKENDS })
  @ApiResponse({ status: 200, type: FaultsView, description: 'The faults now in force' })
  @ApiProblems(400, [404, 'No such backend'])
  setFaults(@Param('backend') backend: string, @Body() input: FaultsInput): FaultsView {
    return this.faults.set(backendParam(backend), input);
  }

  @Delete('faults')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'resetFaults',
    summary: 'Clear every fault of every backend',
    description:
      'Sets every backend back to no faults, including those read at start from SANDBOX_FAULTS, and ' +
      "empties the rate limits' token buckets; answers the faults now in force (none). Only this " +
      "instance's faults (they live in memory); the counters of GET /admin/stats are kept.",
  })
  @ApiResponse({ status: 200, type: AllFaultsView })
  resetFaults(): AllFaultsView {
    return this.faults.reset();
  }

  @Get('stats')
  @ApiOperation({
    operationId: 'getStats',
    summary: 'What the backends were asked to do',
    description:
      'Business counts come from the database (exact, shared by every instance); faulted, throttled and unauthorized are counted in memory per instance.',
  })
  @ApiResponse({ status: 200, type: SandboxStatsView })
  async getStats(): Promise<SandboxStatsView> {
    const [erp, wms, oms, inventory, orders] = await Promise.all([
      this.erp.stats(),
      this.wms.stats(),
      this.oms.stats(),
      this.marketplaceInventory.stats(),
      this.marketplaceOrders.stats(),
    ]);
    const calls = (api: 'inventory' | 'fulfillment' | 'post-order') => this.marketplaceCalls.counts(api);
    const counts = (b: Backend) => ({
      faulted: this.faults.counts(b).faulted,
      unauthorized: this.auth.unauthorized(b),
    });
    return {
      erp: { ...erp, throttled: this.faults.counts('erp').throttled, ...counts('erp') },
      oms: { ...oms, ...counts('oms') },
      wms: { ...wms, ...counts('wms') },
      marketplace: {
        inventoryCalls: calls('inventory').calls,
        orderCalls: calls('fulfillment').calls,
        cancellationCalls: calls('post-order').calls,
        rateLimited: calls('inventory').rateLimited + calls('fulfillment').rateLimited,
        ...inventory,
        ...orders,
        ...counts('marketplace'),
      },
    };
  }
}
