import { Body, Controller, Get, Post, Query, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { availableToSell, type StockLevel } from '@stockbridge/canonical';
import {
  ApiProblems,
  decodeCursor,
  pageOf,
  ProblemError,
  ServiceTokenGuard,
} from '@stockbridge/app-platform';
import { Movements } from '@stockbridge/ledger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Req } from '@nestjs/common';
import { AvailabilityPublisher } from '../availability/availability-publisher.service';

import {
  CreateMovementInput,
  LevelsQuery,
  MovementResultView,
  StockLevelPageView,
  StockLevelView,
} from './movement.dto';

export function toLevelView(l: StockLevel): StockLevelView {
  return {
    sku: l.sku,
    location: l.location,
    onHand: l.onHand,
    reserved: l.reserved,
    allocated: l.allocated,
    damaged: l.damaged,
    qualityControl: l.qualityControl,
    incoming: l.incoming,
    safetyStock: l.safetyStock,
    oversold: l.oversold,
    availableToSell: availableToSell(l),
    version: l.version,
    updatedAt: l.updatedAt.toISOString(),
  };
}

@ApiTags('stock')
@ApiBearerAuth()
@UseGuards(ServiceTokenGuard)
@Controller('v1')
export class MovementsController {
  constructor(
    private readonly movements: Movements,
    private readonly publisher: AvailabilityPublisher,
  ) {}

  @Post('movements')
  @ApiOperation({
    operationId: 'applyMovement',
    summary:
      'Apply a stock movement reported by a source system, exactly once per (sourceSystem, sourceEventId)',
    description: 'A repeat of the same event answers 200 with `duplicate: true` and changes nothing.',
  })
  @ApiResponse({ status: 201, type: MovementResultView, description: 'Applied' })
  @ApiResponse({ status: 200, type: MovementResultView, description: 'Already applied before (duplicate)' })
  @ApiProblems(
    400,
    401,
    [409, 'The movement would leave a bucket negative, or the event id was used for another movement'],
    [422, 'Unknown SKU or location, or an invalid quantity for the kind'],
  )
  async applyMovement(
    @Body() input: CreateMovementInput,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const out = await this.movements.apply({
      kind: input.kind,
      sku: input.sku,
      location: input.location,
      quantity: input.quantity,
      sourceSystem: input.sourceSystem,
      sourceEventId: input.sourceEventId,
      occurredAt: input.occurredAt ? new Date(input.occurredAt) : null,
      reason: input.reason ?? null,
      correlationId: request.id,
    });
    if (!out.duplicate) this.publisher.markDirty([input.sku]);
    const body: MovementResultView = {
      movementId: out.movementId,
      duplicate: out.duplicate,
      level: toLevelView(out.level),
    };
    await reply.status(out.duplicate ? 200 : 201).send(body);
  }

  @Get('levels')
  @ApiOperation({
    operationId: 'listLevels',
    summary: 'Stock levels per SKU and location, every bucket',
    description:
      "The ledger's stock levels of one SKU (at every location), of one location (every SKU) or of one pair, " +
      'ordered by SKU then location: every bucket (onHand, reserved, allocated, damaged, qualityControl, ' +
      'incoming, safetyStock, oversold), availableToSell computed from them, and the version of the level. Give `sku`, ' +
      '`location` or both (400 otherwise); a code with no level answers an empty list. A paged list: `limit` ' +
      '(default 200) per page, then `cursor` = the `nextCursor` of the page before, until it is null. For ' +
      "operators and the platform's own layers.",
  })
  @ApiResponse({ status: 200, type: StockLevelPageView })
  @ApiProblems(400, 401)
  async listLevels(@Query() q: LevelsQuery): Promise<StockLevelPageView> {
    if (!q.sku && !q.location) throw ProblemError.of(400, 'validation-failed', 'Give sku, location or both.');
    const limit = q.limit ?? 200;
    const after = decodeCursor('levels', q.cursor, ['text', 'text']) as [string, string] | null;
    const levels = await this.movements.levels({
      sku: q.sku,
      location: q.location,
      after: after ?? undefined,
      limit: limit + 1,
    });
    return pageOf('levels', levels, limit, (l) => [l.sku, l.location], toLevelView);
  }
}
