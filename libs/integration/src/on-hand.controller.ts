import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems, ProblemError, ServiceTokenGuard } from '@stockbridge/app-platform';
import { PermanentError, WaitError } from '@stockbridge/messaging';
import { OnHandSource } from './on-hand';
import { OnHandSnapshotView } from './on-hand.dto';

/** `GET /v1/on-hand` of a system app: its backend's on-hand snapshot, for reconciliation. */
@ApiTags('on-hand')
@ApiBearerAuth()
@UseGuards(ServiceTokenGuard)
@Controller('v1/on-hand')
export class OnHandController {
  constructor(private readonly source: OnHandSource) {}

  @Get()
  @ApiOperation({
    operationId: 'getOnHand',
    summary: "The backend's on-hand figures in eaches, in our SKU and location codes",
    description:
      "The backend's own on-hand figures, read live through its native API and translated: our SKU and location codes, quantities in eaches. Used by reconciliation; figures whose backend codes have no mapping are listed apart, in `unmapped`.",
  })
  @ApiQuery({ name: 'location', required: false, description: 'Only this location', example: 'WH-EAST' })
  @ApiResponse({ status: 200, type: OnHandSnapshotView })
  @ApiProblems(
    401,
    [422, 'The location has no cross-reference in this backend'],
    [503, 'The backend is unavailable'],
  )
  async getOnHand(@Query('location') location?: string): Promise<OnHandSnapshotView> {
    try {
      return await this.source.onHandSnapshot(location || undefined);
    } catch (err) {
      if (err instanceof PermanentError) throw ProblemError.of(422, 'unmapped', err.message);
      if (err instanceof WaitError)
        throw ProblemError.of(
          503,
          'backend-unavailable',
          `The ${this.source.backendName} is unavailable (${err.message}); try again later.`,
        );
      throw ProblemError.of(
        503,
        'backend-unavailable',
        `The ${this.source.backendName} is unavailable: ${(err as Error).message}`,
      );
    }
  }
}
