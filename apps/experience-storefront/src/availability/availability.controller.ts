import { Controller, Get, Query, Req, UseGuards, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  ApiProblems,
  QueryCatalogCodes,
  CatalogCodePipe,
  headerRef,
  ProblemError,
} from '@stockbridge/app-platform';
import { AvailabilityReadModel } from '@stockbridge/read-model';
import {
  ApiKeyGuard,
  type AuthenticatedRequest,
  RequiresScope,
  RetryAfterInterceptor,
} from '@stockbridge/channel-api';
import { CODE_PATTERN } from '../reservations/reservation.dto';
import { StorefrontAvailability } from './availability.dto';

const MAX_SKUS = 100;

const AVAILABILITY_EXAMPLE: StorefrontAvailability = {
  channel: 'web',
  asOf: '2026-01-05T10:00:00.000Z',
  items: [
    {
      sku: 'SKU-00001',
      known: true,
      available: 8,
      locations: [
        { location: 'WH-EAST', available: 8 },
        { location: 'STORE-NYC', available: 0 },
      ],
    },
    { sku: 'SKU-99999', known: false, available: 0, locations: [] },
  ],
};

@ApiTags('availability')
@ApiBearerAuth()
@UseGuards(ApiKeyGuard)
@UseInterceptors(RetryAfterInterceptor)
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
  @ApiQuery({
    name: 'sku',
    required: true,
    description: 'The SKUs to read (1–100; repeat the parameter)',
    schema: {
      type: 'array',
      minItems: 1,
      maxItems: MAX_SKUS,
      items: { type: 'string', pattern: CODE_PATTERN.source },
    },
    style: 'form',
    explode: true,
    example: ['SKU-00001', 'SKU-00002'],
  })
  @ApiQuery({
    name: 'location',
    required: false,
    description: 'Only this pickup location in `locations`',
    schema: { type: 'string', pattern: CODE_PATTERN.source },
    example: 'STORE-NYC',
  })
  @ApiResponse({ status: 200, type: StorefrontAvailability, example: AVAILABILITY_EXAMPLE })
  @ApiProblems(
    [400, 'No sku, more than 100, or an invalid sku or location', ['validation-failed']],
    [401, 'No, unknown or revoked API key', ['unauthorized']],
    [403, 'The key lacks availability:read', ['forbidden']],
    [
      503,
      'The availability store is unreachable; retry after `Retry-After` seconds',
      ['availability-unavailable'],
      { 'Retry-After': headerRef('Retry-After') },
    ],
  )
  async getAvailability(
    @Req() request: AuthenticatedRequest,
    @QueryCatalogCodes({ name: 'sku', max: MAX_SKUS, example: 'SKU-00001' }) skus: string[],
    @Query('location', new CatalogCodePipe('location')) location: string | undefined,
  ): Promise<StorefrontAvailability> {
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
