import { Body, Controller, HttpCode, Param, Put, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems, ProblemError, ServiceTokenGuard } from '@stockbridge/app-platform';
import { LocationCodeParams, LocationPolicyView, SetLocationPolicyRequest } from './location-policy.dto';
import { LocationPolicies } from './location-policy.service';

@ApiTags('reconciliation')
@ApiBearerAuth()
@UseGuards(ServiceTokenGuard)
@Controller('v1/reconciliation/locations')
export class LocationPoliciesController {
  constructor(private readonly policies: LocationPolicies) {}

  @Put(':code/policy')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'setLocationReconciliationPolicy',
    summary: "Sets a location's correction policy (trust the WMS, trust the ERP, or report only)",
    description:
      "Sets what reconciliation runs do with the location's variance, from the next run on: `trust-wms` or `trust-erp` " +
      "set the ledger's on hand to that side's figure with a journaled count movement, `report-only` only opens exceptions.",
  })
  @ApiResponse({ status: 200, type: LocationPolicyView })
  @ApiProblems(401, [400, 'Invalid code or policy'], [404, 'No such location'])
  async setLocationReconciliationPolicy(
    @Param() params: LocationCodeParams,
    @Body() body: SetLocationPolicyRequest,
  ): Promise<LocationPolicyView> {
    const out = await this.policies.set(params.code, body.policy);
    if (!out) throw ProblemError.of(404, 'not-found', `No location ${params.code}.`);
    return out;
  }
}
