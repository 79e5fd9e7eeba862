import { Controller, Get, Query, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems, ProblemError } from '@stockbridge/http';
import { AvailabilityReadModel } from '@stockbridge/read-model';
import { ApiKeyGuard, type AuthenticatedRequest, RequiresScope } from '../auth/api-key.guard';
import { CODE_PATTERN } from '../reservations/reservation.dto';
import { StorefrontAvailability } from './availability.dto';

const MAX_SKUS = 100;

function skuList(raw: unknown): string[] {
  const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  if (list.length === 0)
    throw ProblemError.of(
      400,
      'validation-failed',
      'Give at least one sku query parameter, e.g. ?sku=SKU-00001.',
    );
  if (list.length > MAX_SKUS)
    throw ProblemError.of(
      400,
      'validation-failed',
      `Give at most ${MAX_SKUS} sku parameters per call (got ${list.length}).`,
    );
  const bad = list.filter((s) => typeof s !== 'string' || !CODE_PATTERN.test(s));
  if (bad.length > 0) {
    throw ProblemError.of(
      400,
      'validation-failed',
      `Invalid sku ${bad
        .slice(0, 5)
        .map((b) => JSON.stringify(b))
        .join(', ')}: 1–64 letters, digits, ".", "_" or "-".`,
    );
  }
  return [...new Set(list as string[])];
}

@ApiTags('availability')
@ApiBearerAuth()
@UseGuards(ApiKeyGuard)
@Controller('v1/availability')
export class AvailabilityController {
  constructor(private readonly readModel: AvailabilityReadModel) {}

  @Get()
  @RequiresScope('availability:read')
  @ApiOperation({
    operationId: 'getAvailability',
    summary: 'Available to sell in your channel, per SKU, with per-location figures for pickup',
    description:
      'At most 100 SKUs per call. An unknown SKU answers `known: false, available: 0`. With `location`, only that location is listed.',
  })
  @ApiQuery({ name: 'sku', isArray: true, type: String, required: true, example: ['SKU-00001', 'SKU-00002'] })
  @ApiQuery({ name: 'location', required: false, type: String, example: 'STORE-NYC' })
  @ApiResponse({ status: 200, type: StorefrontAvailability })
  @ApiProblems(
    400,
    401,
    [403, 'The key lacks availability:read'],
    [503, 'The availability store is unreachable'],
  )
  async getAvailability(
    @Req() request: AuthenticatedRequest,
    @Query('sku') sku: unknown,
    @Query('location') location: unknown,
  ): Promise<StorefrontAvailability> {
    const skus = skuList(sku);
    if (location !== undefined && (typeof location !== 'string' || !CODE_PATTERN.test(location))) {
      throw ProblemError.of(
        400,
        'validation-failed',
        'location must be one code of 1–64 letters, digits, ".", "_" or "-".',
      );
    }
    const channel = request.client.channel;
    const items = await this.readModel.read(channel, skus).catch(() => {
      throw ProblemError.of(
        503,
        'availability-unavailable',
        'Availability is temporarily unavailable; retry shortly.',
      );
    });
    const times = items
      .map((i) => i.asOf)
      .filter((t): t is string => t !== null)
      .sort();
    return {
      channel,
      asOf: times[0] ?? new Date().toISOString(),
      items: items.map((i) => ({
        sku: i.sku,
        known: i.known,
        available: i.available,
        locations: location === undefined ? i.locations : i.locations.filter((l) => l.location === location),
      })),
    };
  }
}
