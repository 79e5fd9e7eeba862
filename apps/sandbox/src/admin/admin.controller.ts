import { Body, Controller, Delete, Get, HttpCode, Param, Put } from '@nestjs/common';
import { ApiExtraModels, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems, ProblemError, ProblemView } from '@stockbridge/http';
import { ErpService } from '../erp/erp.service';
import { BACKENDS, type Backend, isBackend } from '../faults/faults';
import { FaultInjector } from '../faults/fault-injector.service';
import { AllFaultsView, FaultsInput, FaultsView } from '../faults/faults.dto';
import { MarketplaceService } from '../marketplace/marketplace.service';
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
@ApiExtraModels(ProblemView)
@Controller('admin')
export class AdminController {
  constructor(
    private readonly faults: FaultInjector,
    private readonly erp: ErpService,
    private readonly wms: WmsService,
    private readonly oms: OmsService,
    private readonly marketplace: MarketplaceService,
  ) {}

  @Get('faults')
  @ApiOperation({ operationId: 'getFaults', summary: 'The faults of every backend' })
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
  @ApiOperation({ operationId: 'resetFaults', summary: 'Clear every fault of every backend' })
  @ApiResponse({ status: 200, type: AllFaultsView })
  resetFaults(): AllFaultsView {
    return this.faults.reset();
  }

  @Get('stats')
  @ApiOperation({
    operationId: 'getStats',
    summary: 'What the backends were asked to do',
    description:
      'Business counts come from the database (exact, shared by every instance); faulted and throttled are counted in memory per instance.',
  })
  @ApiResponse({ status: 200, type: SandboxStatsView })
  async getStats(): Promise<SandboxStatsView> {
    const [erp, wms, oms, marketplace] = await Promise.all([
      this.erp.stats(),
      this.wms.stats(),
      this.oms.stats(),
      this.marketplace.stats(),
    ]);
    const counts = (b: Backend) => this.faults.counts(b);
    return {
      erp: { ...erp, throttled: counts('erp').throttled, faulted: counts('erp').faulted },
      oms: { ...oms, faulted: counts('oms').faulted },
      wms: { ...wms, faulted: counts('wms').faulted },
      marketplace: { ...marketplace, faulted: counts('marketplace').faulted },
    };
  }
}
