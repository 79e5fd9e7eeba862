import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems, ProblemError, ServiceTokenGuard } from '@stockbridge/http';
import { PermanentError, WaitError } from '@stockbridge/messaging';
import { WmsPort } from '../wms.port';
import { OnHandSnapshotView } from './on-hand.dto';

@ApiTags('on-hand')
@ApiBearerAuth()
@UseGuards(ServiceTokenGuard)
@Controller('v1/on-hand')
export class OnHandController {
  constructor(private readonly wms: WmsPort) {}

  @Get()
  @ApiOperation({
    operationId: 'getWmsOnHand',
    summary: "The WMS's on-hand figures in eaches, in our SKU and location codes",
  })
  @ApiQuery({ name: 'location', required: false, description: 'Only this location', example: 'WH-EAST' })
  @ApiResponse({ status: 200, type: OnHandSnapshotView })
  @ApiProblems(401, [422, 'The location has no WMS cross-reference'], [503, 'The WMS is unavailable'])
  async getWmsOnHand(@Query('location') location?: string): Promise<OnHandSnapshotView> {
    try {
      return await this.wms.onHandSnapshot(location || undefined);
    } catch (err) {
      if (err instanceof PermanentError) throw ProblemError.of(422, 'unmapped', err.message);
      if (err instanceof WaitError)
        throw ProblemError.of(
          503,
          'backend-unavailable',
          `The WMS is unavailable (${err.message}); try again later.`,
        );
      throw ProblemError.of(503, 'backend-unavailable', `The WMS is unavailable: ${(err as Error).message}`);
    }
  }
}
